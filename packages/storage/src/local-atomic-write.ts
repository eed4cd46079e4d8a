import { randomUUID } from 'node:crypto';
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ObjectStat } from './types.js';
import type { LocalLayout } from './local-paths.js';
import { bucketDir } from './local-paths.js';
import {
  SymlinkRefused,
  inPinnedDir,
  makeRealDirs,
  symlinkRefusedError,
} from './local-containment.js';
import { classifyFsError, errnoCode, isNameConflict, nameConflict } from './local-errors.js';
import { localObjectStat, mtimeOfGeneration, nextGeneration } from './local-object-stat.js';
import { toStorageError } from './storage-errors.js';

/** The object being written. */
export interface LocalTarget {
  readonly bucket: string;
  readonly name: string;
  readonly uri: string;
  /** Absolute path of the object's file. */
  readonly file: string;
}

// A concurrent delete may prune the parent folder between our mkdir and rename.
const RENAME_ATTEMPTS = 3;

const writeFully = async (handle: FileHandle, chunk: Buffer): Promise<void> => {
  for (let offset = 0; offset < chunk.byteLength;) {
    const { bytesWritten } = await handle.write(chunk, offset);
    offset += bytesWritten;
  }
};

const syncDir = async (dir: string): Promise<void> => {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

const moveIntoPlace = async (layout: LocalLayout, tmp: string, target: LocalTarget) => {
  const bucketPath = bucketDir(layout, target.bucket);
  const parent = dirname(target.file);
  for (let attempt = 1; ; attempt++) {
    try {
      await makeRealDirs(bucketPath, parent);
      // Renamed through the pinned folder: a link swapped in after the checks is not followed.
      await inPinnedDir(parent, async (dir) => {
        const destination = join(dir, basename(target.file));
        const existing = await lstat(destination).catch(() => undefined);
        if (existing?.isSymbolicLink() === true) throw new SymlinkRefused();
        await rename(tmp, destination);
        await syncDir(dir);
      });
      return;
    } catch (error) {
      if (error instanceof SymlinkRefused) throw symlinkRefusedError(target.uri, 'write');
      if (isNameConflict(error)) throw await nameConflict(bucketPath, target.file, target.uri);
      if (errnoCode(error) !== 'ENOENT' || attempt === RENAME_ATTEMPTS) throw error;
    }
  }
};

/**
 * Write `source` to a temp file outside every bucket, fsync it, stamp a fresh
 * generation as its mtime, then rename it over the object: readers see the old
 * object or the new one, never a part. `layout` is the real (resolved) one;
 * no folder on the way may be a symbolic link.
 */
export const atomicWrite = async (
  layout: LocalLayout,
  target: LocalTarget,
  source: AsyncIterable<Buffer>,
  signal?: AbortSignal,
): Promise<ObjectStat> => {
  const tmp = join(layout.tmpDir, `${randomUUID()}.part`);
  let handle: FileHandle | undefined;
  try {
    signal?.throwIfAborted();
    await mkdir(layout.tmpDir, { recursive: true });
    handle = await open(tmp, 'wx');
    for await (const chunk of source) {
      signal?.throwIfAborted();
      await writeFully(handle, chunk);
    }
    const seconds = mtimeOfGeneration(nextGeneration());
    await handle.utimes(seconds, seconds);
    await handle.sync();
    const stats = await handle.stat({ bigint: true });
    await handle.close();
    handle = undefined;
    await moveIntoPlace(layout, tmp, target);
    return localObjectStat(target.bucket, target.name, stats);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    // ENOENT here is about our own temp/parent paths, not a missing object.
    const kind = classifyFsError(error) === 'not-found' ? 'error' : classifyFsError(error);
    throw toStorageError(error, kind, 'write', target.uri);
  }
};
