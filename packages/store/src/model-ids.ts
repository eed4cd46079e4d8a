import { randomBytes } from 'node:crypto';
import { ID_PATTERN, parseListFilter, type FilterFields, type FilterRecord } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { scanFiltered } from './filtered-scan.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { checkPageSize } from './page-size.js';

/**
 * An operation id in Cloud ML's shape (`create_census_v1-1519932023765`),
 * with a random suffix so two operations on one version within a millisecond
 * cannot collide. Ids beyond the 128-character limit drop the names.
 */
export const newOperationId = (
  kind: 'create' | 'delete' | 'update',
  now: Date,
  ...names: string[]
): string => {
  const suffix = `${now.getTime()}-${randomBytes(2).toString('hex')}`;
  const full = `${[kind, ...names].join('_')}-${suffix}`;
  return full.length <= 128 ? full : `${kind}-${suffix}`;
};

/** Paging and filtering of models and versions (name order). */
export interface ListPageRequest {
  /** @defaultValue 20 (at most 100) */
  readonly pageSize?: number;
  readonly pageToken?: string;
  /** An AIP-160 filter (docs/api.md, "Filtering lists"). */
  readonly filter?: string;
}

/** How to list one name-ordered index (a ZSET of ids, all at score 0). */
export interface NamedList<T> {
  readonly index: string;
  readonly fields: FilterFields;
  /** The records of `ids`, missing ones skipped. */
  read(ids: readonly string[]): Promise<T[]>;
  /** The id (last part of the resource name) of a record. */
  idOf(record: T): string;
  /** The fields of a record a filter tests (`name` is its id). */
  filterRecord(record: T): FilterRecord;
}

/** The last part of a resource name: the id lists filter and page by. */
export const lastSegment = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/**
 * One page of a name-ordered index, keeping the records the request's filter
 * matches; at most `listScanBudget` names are examined, so a sparse filter
 * may return a short page with a token. INVALID_ARGUMENT names a bad field.
 */
export const listByName = async <T>(
  ctx: StoreContext,
  list: NamedList<T>,
  request: ListPageRequest,
): Promise<{ records: T[]; nextPageToken?: string }> => {
  const pageSize = checkPageSize(request.pageSize);
  const filter = parseListFilter(request.filter, list.fields);
  const token = request.pageToken ?? '';
  const page = await scanFiltered<T>({
    pageSize,
    budget: Math.max(ctx.limits.listScanBudget, pageSize),
    after:
      token === ''
        ? undefined
        : decodePageToken(token, filter.normalized, (cursor) => ID_PATTERN.test(cursor)),
    entries: async (after, count) =>
      (
        await ctx.redis.zrangebylex(
          list.index,
          after === undefined ? '-' : `(${after}`,
          '+',
          'LIMIT',
          0,
          count,
        )
      ).map((id) => ({ id, cursor: id })),
    read: async (ids) =>
      new Map((await list.read(ids)).map((record) => [list.idOf(record), record])),
    matches: (record) => filter.matches(list.filterRecord(record)),
  });
  return page.nextCursor === undefined
    ? { records: page.records }
    : {
        records: page.records,
        nextPageToken: encodePageToken(page.nextCursor, filter.normalized),
      };
};
