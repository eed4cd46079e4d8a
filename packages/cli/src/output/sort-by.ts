import { InvalidArgumentError } from 'commander';
import { getField } from './fields.js';
import { isFieldPath } from './format-spec.js';

/** One `--sort-by` key: a field path, `~` in front for descending. */
export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
}

/**
 * The value of `--sort-by`: a comma list of fields, `~FIELD` descending, as
 * gcloud takes it; repeated flags add keys after the earlier ones.
 */
export const parseSortByFlag = (raw: string, previous: readonly SortKey[] = []): SortKey[] => {
  const keys = raw
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '')
    .map((word) => {
      const descending = word.startsWith('~');
      const field = descending ? word.slice(1) : word;
      if (!isFieldPath(field)) {
        throw new InvalidArgumentError(`"${word}" is not a field (use FIELD or ~FIELD).`);
      }
      return { field, descending };
    });
  if (keys.length === 0) throw new InvalidArgumentError('names no field.');
  return [...previous, ...keys];
};

const missing = (value: unknown): boolean => value === undefined || value === null;

/** Numbers by value, the rest as text. */
const compareValues = (a: unknown, b: unknown): number => {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const text = (value: unknown): string =>
    typeof value === 'object' ? JSON.stringify(value) : String(value as string | boolean);
  const [x, y] = [text(a), text(b)];
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * `items` sorted by `keys` in turn. A stable sort (ties keep the server's
 * order); items without the field come last in either direction.
 */
export const sortByKeys = <T>(items: readonly T[], keys: readonly SortKey[]): T[] =>
  [...items].sort((a, b) => {
    for (const key of keys) {
      const [x, y] = [getField(a, key.field), getField(b, key.field)];
      if (missing(x) || missing(y)) {
        if (missing(x) !== missing(y)) return missing(x) ? 1 : -1;
        continue;
      }
      const order = compareValues(x, y);
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
