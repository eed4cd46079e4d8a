import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { StratusError } from '@stratus/spec';
import { errnoCode } from './local-errors.js';

/**
 * The symlink rule of the local backend: nothing below the bucket root may be
 * a symbolic link, so no object operation can reach a file outside its bucket
 * (a link to `$STRATUS_HOME` would otherwise expose `admin-token`).
 *
 * The root itself (`$STRATUS_HOME/buckets`) is resolved once, with `realpath`,
 * because operators legitimately put `$STRATUS_HOME` on another disk through a
 * link. Below it every path is checked against the real path of what was
 * actually opened (`/proc/self/fd/N`), so a component swapped for a link after
 * a check is caught too; files are opened with `O_NOFOLLOW`.
 */

/** Raised when a path below the root is, or runs through, a symbolic link. */
export class SymlinkRefused extends Error {
  constructor() {
    super('a path component is a symbolic link');
    this.name = 'SymlinkRefused';
  }
}

/** Open flags for reading an object: no link as the last component, no blocking on a FIFO. */
export const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;

/** The real path of an open descriptor (Linux), or of `path` where /proc is not mounted. */
const realPathOf = async (handle: FileHandle, path: string): Promise<string> => {
  try {
    return await readlink(`/proc/self/fd/${String(handle.fd)}`);
  } catch {
    return realpath(path);
  }
};

/** Fail with SymlinkRefused unless `handle`, opened at `path`, really is the file at `path`. */
export const assertOpenedAt = async (handle: FileHandle, path: string): Promise<void> => {
  const real = await realPathOf(handle, path);
  // A version replaced by a concurrent write since the open reads as "<path> (deleted)".
  if (real !== path && real !== `${path} (deleted)`) throw new SymlinkRefused();
};

/** Map ELOOP (O_NOFOLLOW met a link) and ENOTDIR-on-a-link to SymlinkRefused. */
export const refuseLoop = (error: unknown): never => {
  if (errnoCode(error) === 'ELOOP') throw new SymlinkRefused();
  throw error;
};

/**
 * Run `action` with a descriptor pinning directory `dir` (a path whose every
 * component must be real). `action` gets `/proc/self/fd/N` where available,
 * so a rename or unlink lands in the directory that was checked, whatever
 * happens to its path meanwhile.
 */
export const inPinnedDir = async <T>(
  dir: string,
  action: (pinned: string) => Promise<T>,
): Promise<T> => {
  const handle = await open(dir, DIR_FLAGS).catch(refuseLoop);
  try {
    await assertOpenedAt(handle, dir);
    const viaProc = `/proc/self/fd/${String(handle.fd)}`;
    const pinned = await lstat(viaProc).then(
      () => viaProc,
      () => dir,
    );
    return await action(pinned);
  } finally {
    await handle.close();
  }
};

/**
 * Create the folders from `bucketPath` down to `dir` one at a time, refusing
 * any that exists as a link (`mkdir -p` would follow it). A component that is a
 * file is left for the caller's rename to report as a name conflict.
 */
export const makeRealDirs = async (bucketPath: string, dir: string): Promise<void> => {
  await mkdir(dirname(bucketPath), { recursive: true });
  const below = dir === bucketPath ? [] : dir.slice(bucketPath.length + 1).split(sep);
  const paths = below.map((_, i) => join(bucketPath, ...below.slice(0, i + 1)));
  for (const path of [bucketPath, ...paths]) {
    try {
      await mkdir(path);
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw error;
    }
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) throw new SymlinkRefused();
    if (!stats.isDirectory()) return;
  }
};

/** The error a refused operation reports: it names the object, never the link's target. */
export const symlinkRefusedError = (uri: string, op: 'read' | 'write' | 'delete'): StratusError =>
  op === 'write'
    ? new StratusError('PERMISSION_DENIED', {
        detail: `${uri}: its path on the local backend runs through a symbolic link, which Stratus refuses`,
      })
    : new StratusError('OBJECT_NOT_FOUND', { uri });

/** Resolve the bucket root once (creating it when `create`); undefined while it does not exist. */
export const realRootResolver = (
  root: string,
): ((create: boolean) => Promise<string | undefined>) => {
  let resolved: string | undefined;
  return async (create) => {
    if (resolved !== undefined) return resolved;
    if (create) await mkdir(root, { recursive: true });
    try {
      resolved = await realpath(root);
      return resolved;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  };
};
