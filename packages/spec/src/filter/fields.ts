import type { Restriction } from './ast.js';
import { filterError } from './filter-error.js';

/** How a filterable field compares. */
export type FilterField =
  /** Strings compare by code point; `:` is equality, or a prefix with a trailing `*`. */
  | { readonly type: 'string' }
  /** One of `values`: `=`, `!=` and `:` only. */
  | { readonly type: 'enum'; readonly values: readonly string[] }
  /** RFC 3339 instants, compared as instants. */
  | { readonly type: 'timestamp' }
  /** `true` or `false`: `=`, `!=` and `:` only. */
  | { readonly type: 'boolean' }
  /** A string map such as `labels`: `labels.<key>` is a string field, `labels:<key>` tests presence. */
  | { readonly type: 'map' };

/** The fields one list can filter on, by name. */
export type FilterFields = Readonly<Record<string, FilterField>>;

/** A value a record holds for a field. */
export type FilterValue = string | boolean | Readonly<Record<string, string>> | undefined;

/** What a filter is evaluated against: field name → value. */
export type FilterRecord = Readonly<Record<string, FilterValue>>;

/** Where a restriction's field lives: a top-level field, or one key of a map field. */
export interface ResolvedField {
  readonly name: string;
  readonly field: FilterField;
  /** For `labels.<key>`: the key. */
  readonly key?: string;
}

/** The fields' names as an error message lists them (`labels.<key>` for maps). */
export const describeFields = (fields: FilterFields): string =>
  Object.entries(fields)
    .map(([name, field]) => (field.type === 'map' ? `${name}.<key>` : name))
    .join(', ');

/** The field a restriction names; INVALID_ARGUMENT naming it when the list has no such field. */
export const resolveField = (restriction: Restriction, fields: FilterFields): ResolvedField => {
  const path = restriction.field;
  const direct = Object.hasOwn(fields, path) ? fields[path] : undefined;
  if (direct !== undefined) return { name: path, field: direct };
  const dot = path.indexOf('.');
  const head = dot < 0 ? '' : path.slice(0, dot);
  const map = Object.hasOwn(fields, head) ? fields[head] : undefined;
  const key = path.slice(dot + 1);
  if (map?.type === 'map' && key !== '') {
    return { name: head, field: { type: 'string' }, key };
  }
  throw filterError(
    `unknown field ${JSON.stringify(path)} at position ${restriction.fieldPosition}; filterable fields: ${describeFields(fields)}`,
  );
};
