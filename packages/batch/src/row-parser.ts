import type { BatchDataFormat } from './data-format.js';
import { splitCsvLine } from './csv-line.js';

/** Marks a row without a key: its records name their file and line instead. */
export const NO_KEY: unique symbol = Symbol('no key');
export type RowKey = unknown;

/**
 * What one line parsed to. The parser reuses one of these for every line (no
 * allocation per row beyond the instance itself): read it before the next call.
 */
export interface ParsedRow {
  /** The model's input; undefined when `error` is set. */
  instance: unknown;
  /** The `keyField` value, or NO_KEY. */
  key: RowKey;
  /** Why the line gives no instance (bad JSON, wrong column count). */
  error: string | undefined;
}

/** Parses one non-blank line into `row`. */
export type RowParser = (text: string, row: ParsedRow) => void;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const jsonParser =
  (keyField: string): RowParser =>
  (text, row) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      row.instance = undefined;
      row.key = NO_KEY;
      row.error = `invalid JSON: ${errorText(error)}`;
      return;
    }
    row.error = undefined;
    if (isPlainObject(value) && Object.hasOwn(value, keyField)) {
      const { [keyField]: key, ...features } = value;
      row.key = key;
      row.instance = features;
    } else {
      row.key = NO_KEY;
      row.instance = value;
    }
  };

const textParser: RowParser = (text, row) => {
  row.instance = text;
  row.key = NO_KEY;
  row.error = undefined;
};

/**
 * A CSV row becomes `{column: value}` over the header's columns. Values stay
 * strings, as the trainer read them: a Stratus bundle parses numeric features
 * from strings with the same rule (`toNumber`) and matches categories as
 * strings, so "007" stays the category it was trained as.
 */
const csvParser = (header: string, keyField: string): RowParser => {
  const columns = splitCsvLine(header);
  if (typeof columns === 'string') throw new Error(`the CSV header line is ${columns}`);
  const keyIndex = columns.indexOf(keyField);
  const width = columns.length;
  return (text, row) => {
    const fields = splitCsvLine(text);
    if (typeof fields === 'string' || fields.length !== width) {
      row.instance = undefined;
      row.key =
        keyIndex !== -1 && typeof fields !== 'string' ? (fields[keyIndex] ?? NO_KEY) : NO_KEY;
      row.error =
        typeof fields === 'string'
          ? fields
          : `has ${fields.length} field(s); the header has ${width} column(s)`;
      return;
    }
    const instance: Record<string, string> = {};
    for (let i = 0; i < width; i += 1) {
      if (i !== keyIndex) instance[columns[i] as string] = fields[i] as string;
    }
    row.instance = instance;
    row.key = keyIndex === -1 ? NO_KEY : fields[keyIndex];
    row.error = undefined;
  };
};

/**
 * The parser for a shard's lines. JSON: one JSON value per line; an object
 * with `keyField` gives the key, and the model gets the object without it.
 * TEXT: the line itself. CSV: see `csvParser`; `header` is required.
 */
export const rowParser = (
  format: BatchDataFormat,
  keyField: string,
  header: string | undefined,
): RowParser => {
  switch (format) {
    case 'JSON':
      return jsonParser(keyField);
    case 'TEXT':
      return textParser;
    case 'CSV':
      if (header === undefined) throw new Error('a CSV shard must carry its header line');
      return csvParser(header, keyField);
  }
};
