import { randomBytes } from 'node:crypto';
import { ID_PATTERN, fieldError } from '@stratus/spec';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './job-list.js';

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

/** Paging of models and versions: name order, the token is the last name returned. */
export interface ListPageRequest {
  /** @defaultValue 100 (at most 1000) */
  readonly pageSize?: number;
  readonly pageToken?: string;
}

/** The ZRANGEBYLEX bounds and count for a page request; INVALID_ARGUMENT names a bad field. */
export const lexPage = (request: ListPageRequest): { min: string; count: number } => {
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw fieldError('INVALID_ARGUMENT', 'pageSize', `must be 1-${MAX_PAGE_SIZE}`, {
      detail: `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`,
    });
  }
  const token = request.pageToken ?? '';
  if (token !== '' && !ID_PATTERN.test(token)) {
    throw fieldError('INVALID_ARGUMENT', 'pageToken', 'is not a token this server returned');
  }
  return { min: token === '' ? '-' : `(${token}`, count: pageSize };
};

/** Split `count + 1` ids read into a page and the token of the next one. */
export const pageOf = (
  ids: readonly string[],
  count: number,
): { ids: string[]; nextPageToken?: string } => {
  const page = ids.slice(0, count);
  const last = page[page.length - 1];
  return ids.length > count && last !== undefined
    ? { ids: page, nextPageToken: last }
    : { ids: page };
};
