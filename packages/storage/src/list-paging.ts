import type { ListOptions, ListPage, ObjectStat } from './types.js';
import { invalidOption } from './storage-errors.js';

/** GCS returns at most this many results per page, whatever `pageSize` asks. */
export const MAX_PAGE_SIZE = 1000;

/** Validated list options with defaults applied. */
export interface PageRequest {
  readonly pageSize: number;
  readonly delimiter?: string;
  readonly pageToken?: string;
}

/** Validate list options before any I/O; throws INVALID_ARGUMENT naming the option. */
export const pageRequest = (options: ListOptions = {}): PageRequest => {
  const { pageSize = MAX_PAGE_SIZE, delimiter, pageToken } = options;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
    throw invalidOption(`list option "pageSize" must be a positive integer, got ${pageSize}`);
  }
  if (delimiter === '') throw invalidOption('list option "delimiter" must not be empty');
  return {
    pageSize: Math.min(pageSize, MAX_PAGE_SIZE),
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(pageToken === undefined || pageToken === '' ? {} : { pageToken }),
  };
};

// Map UTF-16 code units so that comparing them orders strings by code point,
// which is UTF-8 byte order: surrogates (astral characters) sort after U+E000–U+FFFF.
const codePointRank = (unit: number): number =>
  unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;

/** Order object names as GCS does (by UTF-8 bytes), not by UTF-16 code units. */
export const compareNames = (a: string, b: string): number => {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
};

/** One page of names: objects and delimiter-grouped prefixes (both relative to the bucket). */
export interface NamePage {
  readonly objectNames: readonly string[];
  readonly prefixes: readonly string[];
  readonly nextPageToken?: string;
}

/**
 * Page through sorted object names the way GCS does: names under `prefix` are
 * grouped at the first `delimiter` after it, objects and groups share one
 * ordering and one `pageSize`, and the page token is the last entry returned.
 */
export const pageNames = (
  sortedNames: readonly string[],
  prefix: string,
  request: PageRequest,
): NamePage => {
  const { delimiter, pageSize, pageToken } = request;
  const objectNames: string[] = [];
  const prefixes: string[] = [];
  let last: string | undefined;
  for (const name of sortedNames) {
    if (!name.startsWith(prefix)) continue;
    const cut = delimiter === undefined ? -1 : name.indexOf(delimiter, prefix.length);
    const key = cut === -1 ? name : name.slice(0, cut + (delimiter?.length ?? 0));
    if (key === last || (pageToken !== undefined && compareNames(key, pageToken) <= 0)) continue;
    if (objectNames.length + prefixes.length === pageSize) {
      return { objectNames, prefixes, ...(last === undefined ? {} : { nextPageToken: last }) };
    }
    (cut === -1 ? objectNames : prefixes).push(key);
    last = key;
  }
  return { objectNames, prefixes };
};

/** Every object under a prefix, following page tokens (delimiter-free, so it recurses). */
export async function* listAllPages(
  list: (prefixUri: string, options: ListOptions) => Promise<ListPage>,
  prefixUri: string,
): AsyncGenerator<ObjectStat> {
  let pageToken: string | undefined;
  do {
    const page = await list(prefixUri, pageToken === undefined ? {} : { pageToken });
    yield* page.objects;
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
}
