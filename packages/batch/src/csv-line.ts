import { parse } from 'csv-parse/sync';

/**
 * The fields of one CSV line, or a string saying why it is not one CSV
 * record. Lines without a quote are split on commas directly (the common
 * case, and the fast one); quoted lines go through csv-parse (RFC 4180:
 * doubled quotes inside quoted fields; a quote inside an unquoted field is
 * kept as text). A record must fit on one line:
 * batch input is sharded at line ends.
 */
export const splitCsvLine = (line: string): string[] | string => {
  if (!line.includes('"')) return line.split(',');
  let records: string[][];
  try {
    records = parse(line, { relax_column_count: true, relax_quotes: true }) as string[][];
  } catch (error) {
    // csv-parse sees one line at a time: its "at line 1" would mislead next to the record's line.
    const message = error instanceof Error ? error.message : String(error);
    return `not a CSV record: ${message.replace(/ at line 1\b/, '')}`;
  }
  const [record] = records;
  if (records.length !== 1 || record === undefined) {
    return `not one CSV record (a quoted field may not span lines in batch input)`;
  }
  return record;
};
