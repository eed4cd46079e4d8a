import { createHash } from 'node:crypto';
import { fieldError } from '@stratus/spec';

/** A short digest of a normalized filter, so a page token is not reused with another filter. */
const fingerprint = (normalizedFilter: string): string =>
  createHash('sha256').update(normalizedFilter).digest('base64url').slice(0, 12);

/**
 * The opaque `nextPageToken` of a list that continues after `cursor` (a
 * score, a name: whatever the list walks by), bound to the list's filter.
 */
export const encodePageToken = (cursor: string, normalizedFilter: string): string =>
  Buffer.from(`v1:${cursor}:${fingerprint(normalizedFilter)}`).toString('base64url');

/**
 * The cursor inside a page token; INVALID_ARGUMENT on `pageToken` if it is
 * malformed, its cursor fails `isCursor`, or it was issued for another filter.
 */
export const decodePageToken = (
  token: string,
  normalizedFilter: string,
  isCursor: (cursor: string) => boolean,
): string => {
  const text = Buffer.from(token, 'base64url').toString();
  const first = text.indexOf(':');
  const last = text.lastIndexOf(':');
  const cursor = text.slice(first + 1, last);
  if (text.slice(0, first) !== 'v1' || first === last || !isCursor(cursor)) {
    throw fieldError('INVALID_ARGUMENT', 'pageToken', 'is malformed', {
      detail: 'pageToken is not a token this server issued',
    });
  }
  if (text.slice(last + 1) !== fingerprint(normalizedFilter)) {
    throw fieldError('INVALID_ARGUMENT', 'pageToken', 'belongs to another filter', {
      detail: 'pageToken was issued for a different filter',
    });
  }
  return cursor;
};
