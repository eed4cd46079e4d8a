import { NO_KEY, type RowKey } from './row-parser.js';

/**
 * The records one shard writes. Every input row gives exactly one:
 *
 * - results, JSON (one object per line):
 *   `{"key": k, "prediction": p}` for a keyed row,
 *   `{"source": {"uri": "gs://…", "line": n}, "prediction": p}` otherwise;
 * - results, CSV: a header line `key,uri,line,<fields>` then one line per
 *   row (`key` empty for an unkeyed row). `<fields>` are the first
 *   prediction's own fields when it is an object, else the one column
 *   `prediction`; strings are quoted when needed, arrays and objects are
 *   JSON-encoded into the cell, null is empty;
 * - errors (always JSON, one object per line):
 *   `{"source": {"uri": "gs://…", "line": n}, "key": k, "error": "reason"}`,
 *   `key` only for a keyed row.
 */
export interface RecordFormat {
  /** Text before the first result (the CSV header); called once, with the first prediction. */
  head(prediction: unknown): string;
  /** Why `prediction` cannot be written in this format (a CSV field not among the columns). */
  misfit(prediction: unknown): string | undefined;
  result(key: RowKey, line: number, prediction: unknown): string;
}

/** `{"source":{"uri":…,"line":` for one input object, built once per shard. */
export const sourceOpening = (uri: string): string =>
  `{"source":{"uri":${JSON.stringify(uri)},"line":`;

/** One error record line. */
export const errorRecord = (opening: string, key: RowKey, line: number, reason: string): string =>
  key === NO_KEY
    ? `${opening}${line}},"error":${JSON.stringify(reason)}}\n`
    : `${opening}${line}},"key":${JSON.stringify(key)},"error":${JSON.stringify(reason)}}\n`;

/** JSON.stringify, with undefined (which it drops) written as null so the record stays JSON. */
const json = (value: unknown): string => JSON.stringify(value) ?? 'null';

const jsonFormat = (uri: string): RecordFormat => {
  const opening = sourceOpening(uri);
  return {
    head: () => '',
    misfit: () => undefined,
    result: (key, line, prediction) =>
      key === NO_KEY
        ? `${opening}${line}},"prediction":${json(prediction)}}\n`
        : `{"key":${json(key)},"prediction":${json(prediction)}}\n`,
  };
};

const NEEDS_QUOTES = /[",\r\n]/;

const quoted = (text: string): string =>
  NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;

/** One CSV cell. */
export const csvCell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return quoted(json(value));
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const csvFormat = (uri: string): RecordFormat => {
  const uriCell = quoted(uri);
  let columns: string[] | undefined;
  let columnSet: Set<string> = new Set();
  return {
    head(prediction) {
      columns = isPlainObject(prediction) ? Object.keys(prediction) : [];
      columnSet = new Set(columns);
      const names = columns.length === 0 ? ['prediction'] : columns;
      return `key,uri,line,${names.map(quoted).join(',')}\n`;
    },
    misfit(prediction) {
      if (columns === undefined) return undefined;
      if (columns.length === 0) {
        return isPlainObject(prediction)
          ? 'the prediction is an object where the first was not'
          : undefined;
      }
      if (!isPlainObject(prediction)) {
        return `the prediction is not an object with fields ${columns.join(', ')} as the first was`;
      }
      for (const field in prediction) {
        if (!columnSet.has(field)) {
          return `the prediction's field "${field}" is not among the CSV columns (${columns.join(', ')})`;
        }
      }
      return undefined;
    },
    result(key, line, prediction) {
      let text = `${key === NO_KEY ? '' : csvCell(key)},${uriCell},${line}`;
      if (columns === undefined || columns.length === 0) return `${text},${csvCell(prediction)}\n`;
      const fields = prediction as Record<string, unknown>;
      for (const column of columns) text += `,${csvCell(fields[column])}`;
      return `${text}\n`;
    },
  };
};

/** The results format of `outputDataFormat` for rows of object `uri`. */
export const recordFormat = (outputDataFormat: 'JSON' | 'CSV', uri: string): RecordFormat =>
  outputDataFormat === 'CSV' ? csvFormat(uri) : jsonFormat(uri);
