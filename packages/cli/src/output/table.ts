/** One column: its header and a colouring hook applied after padding. */
export interface TableColumn {
  readonly header: string;
  /** Right-align (numbers). @defaultValue false */
  readonly alignRight?: boolean;
  /** Colour a padded cell; receives the plain cell text to decide on. */
  readonly colour?: (padded: string, plain: string) => string;
}

export interface TableOptions {
  /** Terminal width; when set, the widest columns are truncated with `…` to fit. */
  readonly width?: number;
  /** Style for the header row. */
  readonly header?: (text: string) => string;
}

const GAP = '  ';
const MIN_WIDTH = 4;

const truncate = (text: string, width: number): string =>
  text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;

/** Shrink the widest columns, one character at a time, until the row fits `width`. */
const fitWidths = (natural: readonly number[], width: number | undefined): number[] => {
  const widths = [...natural];
  if (width === undefined) return widths;
  const total = (): number =>
    widths.reduce((sum, w) => sum + w, 0) + GAP.length * (widths.length - 1);
  while (total() > width) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w > MIN_WIDTH && (widest === -1 || w > (widths[widest] ?? 0))) widest = i;
    });
    if (widest === -1) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
};

/**
 * Render rows of plain cells as gcloud does: upper-case headers, columns
 * separated by two spaces, no borders; sized to `width` when it is known.
 */
export const renderTable = (
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string => {
  const clean = rows.map((row) => columns.map((_, i) => (row[i] ?? '').replace(/\s*\n\s*/g, ' ')));
  const natural = columns.map((column, i) =>
    Math.max(column.header.length, ...clean.map((row) => (row[i] ?? '').length)),
  );
  const widths = fitWidths(natural, options.width);
  const pad = (text: string, i: number, column: TableColumn | undefined): string => {
    const width = widths[i] ?? 0;
    const cut = truncate(text, width);
    const last = i === columns.length - 1;
    if (column?.alignRight === true) return cut.padStart(width);
    return last ? cut : cut.padEnd(width);
  };
  const headerStyle = options.header ?? ((text: string) => text);
  const lines = [
    columns.map((column, i) => headerStyle(pad(column.header, i, column))).join(GAP),
    ...clean.map((row) =>
      row
        .map((cell, i) => {
          const column = columns[i];
          const padded = pad(cell, i, column);
          return column?.colour === undefined ? padded : column.colour(padded, cell);
        })
        .join(GAP),
    ),
  ];
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`;
};
