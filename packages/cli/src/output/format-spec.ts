import { UsageError } from '../cli-errors.js';

/** A parsed `--format`: json, yaml, `table` or `table(f,…)`, `value(f,…)`, `csv[no-heading](f,…)`. */
export type FormatSpec =
  | { readonly kind: 'json' }
  | { readonly kind: 'yaml' }
  | { readonly kind: 'table'; readonly fields?: readonly string[] }
  | { readonly kind: 'value'; readonly fields: readonly string[] }
  | { readonly kind: 'csv'; readonly fields: readonly string[]; readonly heading: boolean };

const FIELD = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*|\[\d+\])*$/;

/** Whether `text` is a resource field path such as `trainingOutput.trials[0].trialId`. */
export const isFieldPath = (text: string): boolean => FIELD.test(text);

const ALLOWED =
  'json, yaml, table, table(FIELD,...), value(FIELD,...) or csv[no-heading](FIELD,...)';

const parseFields = (raw: string, list: string): string[] => {
  const fields = list
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
  if (fields.length === 0) throw new UsageError(`--format ${raw} names no fields`);
  const bad = fields.find((field) => !isFieldPath(field));
  if (bad !== undefined) {
    throw new UsageError(
      `--format ${raw}: "${bad}" is not a field path (use names like jobId or trainingOutput.bestTrialId)`,
    );
  }
  return fields;
};

/** `[no-heading]` of `csv[no-heading](…)`: whether the heading row is printed. */
const parseCsvAttributes = (raw: string, attributes: string | undefined): boolean => {
  if (attributes === undefined) return true;
  const names = attributes
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const bad = names.find((name) => name !== 'no-heading');
  if (bad !== undefined) {
    throw new UsageError(
      `--format ${raw}: csv knows the attribute [no-heading] only (got "${bad}")`,
    );
  }
  return names.length === 0;
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
  const csv = /^csv(?:\[([^\]]*)\])?\((.*)\)$/s.exec(text);
  if (csv !== null) {
    const heading = parseCsvAttributes(raw, csv[1]);
    return { kind: 'csv', fields: parseFields(raw, csv[2] ?? ''), heading };
  }
  throw new UsageError(`--format must be ${ALLOWED} (got "${raw}")`);
};
