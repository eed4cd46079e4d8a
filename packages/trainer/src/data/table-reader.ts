import { open } from 'node:fs/promises';
import { CsvParser, CsvSyntaxError, type CsvRecord } from './csv-parser.js';
import { datasetError, describeRow } from './dataset-error.js';
import { JsonLinesParser, JsonLinesSyntaxError } from './jsonl-parser.js';
import { readTextChunks } from './text-chunks.js';

export type TableFormat = 'csv' | 'jsonl';

/** One data record: its values by column name, its 1-based row number and the line it starts on. */
export interface TableRow {
  readonly values: Readonly<Record<string, unknown>>;
  readonly row: number;
  readonly line: number;
}

/** What reading a table yields: the CSV header once, then rows in file order, chunk by chunk. */
export type TableEvent =
  | { readonly kind: 'header'; readonly columns: readonly string[] }
  | { readonly kind: 'rows'; readonly rows: readonly TableRow[] };

/** Format from the extension (.csv, .jsonl, .ndjson, .json), else from the first bytes of the file. */
export async function detectTableFormat(path: string, uri: string): Promise<TableFormat> {
  const head = await readHead(path);
  const first = head
    .trimStart()
    .replace(/^\uFEFF/, '')
    .trimStart()
    .charAt(0);
  const name = uri.toLowerCase();
  const byName = name.endsWith('.csv')
    ? 'csv'
    : /\.(jsonl|ndjson|json)$/.test(name)
      ? 'jsonl'
      : undefined;
  if (first === '[' && byName !== 'csv') {
    throw datasetError(
      uri,
      'it holds a JSON array; write one JSON object per line (JSON Lines) instead',
    );
  }
  return byName ?? (first === '{' ? 'jsonl' : 'csv');
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** Read a CSV (with header) or JSON Lines file as a stream of rows; malformed text is DATASET_INVALID naming the place. */
export async function* readTable(
  path: string,
  uri: string,
  format: TableFormat,
  signal?: AbortSignal,
): AsyncGenerator<TableEvent> {
  const chunks = readTextChunks(path, uri, signal);
  try {
    yield* format === 'csv' ? readCsv(chunks, uri) : readJsonLines(chunks);
  } catch (error) {
    if (error instanceof CsvSyntaxError || error instanceof JsonLinesSyntaxError) {
      throw datasetError(uri, error.message, error);
    }
    throw error;
  }
}

async function* readJsonLines(chunks: AsyncIterable<string>): AsyncGenerator<TableEvent> {
  const parser = new JsonLinesParser();
  let row = 0;
  const toRows = (records: ReturnType<JsonLinesParser['push']>): TableRow[] =>
    records.map(({ value, line }) => ({ values: value, row: ++row, line }));
  for await (const chunk of chunks) {
    const rows = toRows(parser.push(chunk));
    if (rows.length > 0) yield { kind: 'rows', rows };
  }
  const rows = toRows(parser.end());
  if (rows.length > 0) yield { kind: 'rows', rows };
}

async function* readCsv(chunks: AsyncIterable<string>, uri: string): AsyncGenerator<TableEvent> {
  const parser = new CsvParser();
  let header: string[] | undefined;
  let row = 0;
  const convert = (records: CsvRecord[]): TableRow[] => {
    const rows: TableRow[] = [];
    for (const record of records) {
      if (header === undefined) {
        header = parseHeader(record, uri);
        continue;
      }
      row += 1;
      rows.push({ values: toObject(header, record, row, uri), row, line: record.line });
    }
    return rows;
  };
  let announced = false;
  const events = function* (rows: TableRow[]): Generator<TableEvent> {
    if (!announced && header !== undefined) {
      announced = true;
      yield { kind: 'header', columns: header };
    }
    if (rows.length > 0) yield { kind: 'rows', rows };
  };
  for await (const chunk of chunks) yield* events(convert(parser.push(chunk)));
  yield* events(convert(parser.end()));
}

function parseHeader(record: CsvRecord, uri: string): string[] {
  const columns = record.fields.map((field) => field.trim());
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (name === '') {
      throw datasetError(
        uri,
        `the header (line ${record.line}) is not parseable: column ${i + 1} has no name`,
      );
    }
    if (name === '__proto__') {
      throw datasetError(
        uri,
        `the header (line ${record.line}) is not parseable: column ${i + 1} is named "__proto__", which is reserved`,
      );
    }
    if (seen.has(name)) {
      throw datasetError(
        uri,
        `the header (line ${record.line}) is not parseable: column name "${name}" appears twice`,
      );
    }
    seen.add(name);
  });
  return columns;
}

function toObject(
  header: readonly string[],
  record: CsvRecord,
  row: number,
  uri: string,
): Record<string, string> {
  const { fields } = record;
  if (fields.length !== header.length) {
    throw datasetError(
      uri,
      `ragged rows: ${describeRow(row, record.line)} has ${fields.length} fields, the header has ${header.length}`,
    );
  }
  const values: Record<string, string> = {};
  for (let i = 0; i < header.length; i += 1) values[header[i] as string] = fields[i] as string;
  return values;
}
