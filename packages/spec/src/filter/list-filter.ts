import type { FilterExpression } from './ast.js';
import { formatFilter } from './ast.js';
import { compileFilter, type FilterPredicate } from './compile.js';
import type { FilterFields } from './fields.js';
import { parseFilter } from './parser.js';

/** A list's `filter` parameter, parsed and checked against the list's fields. */
export interface ListFilter {
  /** undefined: no filter (everything matches). */
  readonly expression: FilterExpression | undefined;
  readonly matches: FilterPredicate;
  /** The canonical text (formatFilter): what a page token is bound to. */
  readonly normalized: string;
}

/** Parse and check `filter` for a list whose records have `fields`; INVALID_ARGUMENT on `filter`. */
export const parseListFilter = (filter: string | undefined, fields: FilterFields): ListFilter => {
  const expression = parseFilter(filter);
  return {
    expression,
    matches: compileFilter(expression, fields),
    normalized: formatFilter(expression),
  };
};
