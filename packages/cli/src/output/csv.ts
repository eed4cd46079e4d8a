/** One CSV field, quoted as RFC 4180 says when it holds a comma, a quote or a line break. */
export const csvField = (text: string): string =>
  /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;

/** Rows of plain cells as CSV lines (RFC 4180 quoting; lines end in `\n`, as gcloud's do). */
export const renderCsv = (rows: readonly (readonly string[])[]): string =>
  rows.map((row) => `${row.map(csvField).join(',')}\n`).join('');
