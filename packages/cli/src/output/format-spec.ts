import { UsageError } from '../cli-errors.js';

/** A parsed `--format`: json, yaml, `table` or `table(f,…)`, `value(f,…)`. */
export type FormatSpec =
  | { readonly kind: 'json' }
  | { readonly kind: 'yaml' }
  | { readonly kind: 'table'; readonly fields?: readonly string[] }
  | { readonly kind: 'value'; readonly fields: readonly string[] };

const FIELD = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*|\[\d+\])*$/;

const parseFields = (raw: string, list: string): string[] => {
  const fields = list
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  if (fields.length === 0) throw new UsageError(`--format ${raw} names no fields`);
  const bad = fields.find((field) => !FIELD.test(field));
  if (bad !== undefined) {
    throw new UsageError(
      `--format ${raw}: "${bad}" is not a field path (use names like jobId or trainingOutput.bestTrialId)`,
    );
  }
  return fields;
};

/** Parse the value of `--format`; a bad one is a usage error naming what is allowed. */
export const parseFormat = (raw: string): FormatSpec => {
  const text = raw.trim();
  if (text === 'json') return { kind: 'json' };
  if (text === 'yaml') return { kind: 'yaml' };
  if (text === 'table') return { kind: 'table' };
  const match = /^(table|value)\((.*)\)$/s.exec(text);
  if (match !== null) {
    const fields = parseFields(raw, match[2] ?? '');
    return match[1] === 'table' ? { kind: 'table', fields } : { kind: 'value', fields };
  }
  throw new UsageError(
    `--format must be json, yaml, table, table(FIELD,...) or value(FIELD,...) (got "${raw}")`,
  );
};
