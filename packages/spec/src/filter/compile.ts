import type { FilterExpression, Restriction } from './ast.js';
import { filterError } from './filter-error.js';
import {
  resolveField,
  type FilterFields,
  type FilterRecord,
  type FilterValue,
  type ResolvedField,
} from './fields.js';
import type { Comparator } from './tokens.js';

/** A compiled filter: does this record match? */
export type FilterPredicate = (record: FilterRecord) => boolean;

/**
 * Check every field and value of `expression` against `fields` and build its
 * predicate; an empty filter matches everything. INVALID_ARGUMENT names an
 * unknown field, a value of the wrong kind, or a comparator the field lacks.
 */
export const compileFilter = (
  expression: FilterExpression | undefined,
  fields: FilterFields,
): FilterPredicate => {
  if (expression === undefined) return () => true;
  switch (expression.kind) {
    case 'restriction':
      return compileRestriction(expression, fields);
    case 'not': {
      const operand = compileFilter(expression.operand, fields);
      return (record) => !operand(record);
    }
    case 'and': {
      const operands = expression.operands.map((operand) => compileFilter(operand, fields));
      return (record) => operands.every((operand) => operand(record));
    }
    case 'or': {
      const operands = expression.operands.map((operand) => compileFilter(operand, fields));
      return (record) => operands.some((operand) => operand(record));
    }
  }
};

const at = (restriction: Restriction): string =>
  `${JSON.stringify(restriction.value)} at position ${restriction.valuePosition}`;

const refuseComparator = (restriction: Restriction, allowed: string): never => {
  throw filterError(
    `${restriction.field} does not support "${restriction.comparator}" (position ${restriction.fieldPosition}); use ${allowed}`,
  );
};

/** `:` with a trailing `*`: the prefix before it ('' for `field:*`, "has any value"). */
const prefixOf = (restriction: Restriction): string | undefined =>
  restriction.comparator === ':' && restriction.value.endsWith('*')
    ? restriction.value.slice(0, -1)
    : undefined;

const compare = (comparator: Comparator, left: number, right: number): boolean => {
  switch (comparator) {
    case '=':
    case ':':
      return left === right;
    case '!=':
      return left !== right;
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
};

/** `field:prefix*`; `field:*` holds when the field is set at all (a label with that key, say). */
const startsWith =
  (read: (record: FilterRecord) => FilterValue, prefix: string): FilterPredicate =>
  (record) => {
    const value = read(record);
    return typeof value === 'string' && value.startsWith(prefix);
  };

const stringOf = (value: FilterValue): string => (typeof value === 'string' ? value : '');

const valueOf = (resolved: ResolvedField, record: FilterRecord): FilterValue => {
  const value = record[resolved.name];
  if (resolved.key === undefined) return value;
  return typeof value === 'object' && Object.hasOwn(value, resolved.key)
    ? value[resolved.key]
    : undefined;
};

/** Milliseconds since the epoch of an RFC 3339 timestamp (date, `T`, time, zone), or undefined. */
export const parseRfc3339 = (text: string): number | undefined => {
  const ms = Date.parse(text);
  const zoned =
    text.endsWith('Z') || text.endsWith('z') || text.at(-6) === '+' || text.at(-6) === '-';
  return text.length >= 20 && (text[10] === 'T' || text[10] === 't') && zoned && Number.isFinite(ms)
    ? ms
    : undefined;
};

const compileRestriction = (restriction: Restriction, fields: FilterFields): FilterPredicate => {
  const resolved = resolveField(restriction, fields);
  const { field } = resolved;
  const { comparator, value } = restriction;
  const prefix = prefixOf(restriction);
  const read = (record: FilterRecord): FilterValue => valueOf(resolved, record);
  switch (field.type) {
    case 'map': {
      if (comparator !== ':') {
        refuseComparator(
          restriction,
          `${restriction.field}:<key> or ${restriction.field}.<key>=<value>`,
        );
      }
      return (record) => {
        const map = read(record);
        return typeof map === 'object' && Object.hasOwn(map, value);
      };
    }
    case 'boolean': {
      if (comparator !== '=' && comparator !== '!=' && comparator !== ':') {
        refuseComparator(restriction, '=, != or :');
      }
      if (value !== 'true' && value !== 'false') {
        throw filterError(`${restriction.field} takes true or false, not ${at(restriction)}`);
      }
      const wanted = value === 'true';
      return (record) => (read(record) === wanted) === (comparator !== '!=');
    }
    case 'enum': {
      if (comparator !== '=' && comparator !== '!=' && comparator !== ':') {
        refuseComparator(restriction, '=, != or :');
      }
      if (prefix !== undefined) return startsWith(read, prefix);
      if (!field.values.includes(value)) {
        throw filterError(
          `${restriction.field} ${at(restriction)} is not one of ${field.values.join(', ')}`,
        );
      }
      return (record) => (read(record) === value) === (comparator !== '!=');
    }
    case 'timestamp': {
      if (prefix !== undefined) return startsWith(read, prefix);
      const wanted = parseRfc3339(value);
      if (wanted === undefined) {
        throw filterError(
          `${restriction.field} needs an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, not ${at(restriction)}`,
        );
      }
      return (record) => {
        const ms = parseRfc3339(stringOf(read(record)));
        return ms !== undefined && compare(comparator, ms, wanted);
      };
    }
    case 'string': {
      if (prefix !== undefined) return startsWith(read, prefix);
      return (record) => {
        const actual = stringOf(read(record));
        return compare(comparator, actual < value ? -1 : actual > value ? 1 : 0, 0);
      };
    }
  }
};
