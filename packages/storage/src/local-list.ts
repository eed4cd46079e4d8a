import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { ListPage, ObjectStat } from './types.js';
import type { LocalLayout } from './local-paths.js';
import { bucketDir, nameOfPath } from './local-paths.js';
import { classifyFsError } from './local-errors.js';
import type { PageRequest } from './list-paging.js';
import { compareNames, pageNames } from './list-paging.js';
import { localObjectStat } from './local-object-stat.js';
import { formatStorageUri } from './uri.js';

// Regular files only: symlinks and sockets are not objects, and linked folders are not entered.
const walk = async (dir: string, root: string, names: string[]): Promise<void> => {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (classifyFsError(error) === 'not-found') return; // pruned concurrently, or no bucket yet
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, root, names);
    else if (entry.isFile()) names.push(nameOfPath(root, path));
  }
};

const statOrSkip = async (
  bucket: string,
  name: string,
  file: string,
): Promise<ObjectStat | undefined> => {
  try {
    // lstat: a file swapped for a link since the walk is skipped, not followed.
    const stats = await lstat(file, { bigint: true });
    return stats.isFile() ? localObjectStat(bucket, name, stats) : undefined;
  } catch (error) {
    if (classifyFsError(error) === 'not-found') return undefined; // deleted while listing
    throw error;
  }
};

/** Whether `dir` is really where its path says: no link on the way from the (real) root. */
const isRealDir = async (dir: string): Promise<boolean> => {
  try {
    return (await realpath(dir)) === dir;
  } catch (error) {
    if (classifyFsError(error) === 'not-found') return false;
    throw error;
  }
};

/**
 * One page of a local bucket listing, in GCS order; a missing bucket lists as
 * empty, and so does a prefix whose folder is (or runs through) a link.
 * `layout` is the real one.
 */
export const listLocal = async (
  layout: LocalLayout,
  bucket: string,
  prefix: string,
  request: PageRequest,
): Promise<ListPage> => {
  const root = bucketDir(layout, bucket);
  // Only the folder the prefix points into can hold matching names.
  const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const names: string[] = [];
  const start = folder === '' ? root : join(root, ...folder.split('/').filter(Boolean));
  if (await isRealDir(start)) await walk(start, root, names);
  names.sort(compareNames);
  const page = pageNames(names, prefix, request);
  const stats = await Promise.all(
    page.objectNames.map((name) => statOrSkip(bucket, name, join(root, ...name.split('/')))),
  );
  return {
    objects: stats.filter((entry): entry is ObjectStat => entry !== undefined),
    prefixes: page.prefixes.map((name) => formatStorageUri(bucket, name)),
    ...(page.nextPageToken === undefined ? {} : { nextPageToken: page.nextPageToken }),
  };
};
