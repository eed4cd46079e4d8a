import { lstat, open, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { ListOptions, ReadOptions, Storage, WriteOptions } from './types.js';
import { completeStorage } from './storage-core.js';
import type { LocalLayout } from './local-paths.js';
import type { LocalTarget } from './local-atomic-write.js';
import type { StorageOp } from './storage-errors.js';
import { localLayout, objectPath } from './local-paths.js';
import { atomicWrite } from './local-atomic-write.js';
import { classifyFsError, errnoCode } from './local-errors.js';
import {
  READ_FLAGS,
  SymlinkRefused,
  assertOpenedAt,
  inPinnedDir,
  realRootResolver,
  symlinkRefusedError,
} from './local-containment.js';
import { localObjectStat } from './local-object-stat.js';
import { listLocal } from './local-list.js';
import { pageRequest } from './list-paging.js';
import { clampRange, requestedRange } from './byte-range.js';
import { countProgress, transferWithProgress } from './progress.js';
import { toStorageError } from './storage-errors.js';
import { parseStoragePrefixUri, parseStorageUri } from './uri.js';

/** Options of the local-directory backend. */
export interface LocalStorageOptions {
  /** Directory holding one sub-directory per bucket, normally `$STRATUS_HOME/buckets`. */
  readonly root: string;
}

const CHUNK_BYTES = 64 * 1024;

const locate = (layout: LocalLayout, uri: string): LocalTarget => {
  const { bucket, name } = parseStorageUri(uri);
  return { bucket, name, uri, file: objectPath(layout, bucket, name) };
};

/** `<root>/<bucket>` of a located target (its file is exactly that plus the name). */
const bucketPathOf = (target: LocalTarget): string =>
  target.file.slice(0, target.file.length - target.name.length - 1);

const fail = (error: unknown, op: StorageOp, uri: string): Error =>
  error instanceof SymlinkRefused
    ? symlinkRefusedError(uri, op === 'write' || op === 'copy' ? 'write' : 'read')
    : toStorageError(error, classifyFsError(error), op, uri);

const notFound = (op: StorageOp, uri: string): Error =>
  toStorageError(new Error('a folder, not an object'), 'not-found', op, uri);

/** Open an object for reading: never through a link, and only a regular file inside its bucket. */
const openObject = async (target: LocalTarget, op: StorageOp) => {
  const handle = await open(target.file, READ_FLAGS).catch((error: unknown) => {
    throw fail(errnoCode(error) === 'ELOOP' ? new SymlinkRefused() : error, op, target.uri);
  });
  try {
    await assertOpenedAt(handle, target.file);
    const stats = await handle.stat({ bigint: true });
    if (stats.isFile()) return { handle, stats };
  } catch (error) {
    await handle.close();
    throw fail(error, op, target.uri);
  }
  await handle.close();
  throw notFound(op, target.uri);
};

async function* readFile(
  resolve: () => Promise<LocalTarget>,
  options: ReadOptions,
): AsyncGenerator<Buffer> {
  const range = requestedRange(options);
  const target = await resolve();
  // Holding the descriptor pins this version: a concurrent rename swaps the
  // directory entry, not the inode we read from.
  const { handle, stats } = await openObject(target, 'read');
  try {
    const effective = clampRange(range, Number(stats.size));
    const chunks =
      effective &&
      handle.createReadStream({
        start: effective.start,
        end: effective.end,
        autoClose: false,
        highWaterMark: CHUNK_BYTES,
      });
    yield* transferWithProgress(chunks, options, () => effective?.length ?? 0);
  } catch (error) {
    throw fail(error, 'read', target.uri);
  } finally {
    await handle.close();
  }
}

// Deleting the last object in a folder removes the folder, as GCS has no empty folders.
const pruneEmptyParents = async (bucketPath: string, file: string): Promise<void> => {
  for (let dir = dirname(file); dir.length > bucketPath.length; dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      return; // not empty (or already gone): stop climbing
    }
  }
};

/**
 * Storage over a local directory: `gs://bucket/name` is `<root>/bucket/name`.
 * The root is resolved once (it may be reached through a link); nothing below
 * it may be one (see local-containment.ts).
 */
export const createLocalStorage = (options: LocalStorageOptions): Storage => {
  const lexical = localLayout(options.root);
  const realRoot = realRootResolver(lexical.root);
  /** The real layout, or undefined while the root does not exist (nothing stored yet). */
  const realLayout = async (create: boolean): Promise<LocalLayout | undefined> => {
    const root = await realRoot(create);
    return root === undefined ? undefined : localLayout(root);
  };
  /** `uri` checked now (no I/O), located in the real layout when awaited. */
  const locateLater = (uri: string, op: StorageOp): (() => Promise<LocalTarget>) => {
    locate(lexical, uri);
    return async () => {
      const layout = await realLayout(false);
      if (layout === undefined) throw notFound(op, uri);
      return locate(layout, uri);
    };
  };

  const createReadStream = (uri: string, readOptions: ReadOptions = {}): Readable => {
    const resolve = locateLater(uri, 'read');
    requestedRange(readOptions);
    return Readable.from(readFile(resolve, readOptions), { objectMode: false });
  };

  const write = async (uri: string, source: AsyncIterable<Buffer>, signal?: AbortSignal) => {
    locate(lexical, uri);
    const layout = await realLayout(true).catch((error: unknown) => {
      throw fail(error, 'write', uri);
    });
    if (layout === undefined) throw fail(new Error('the bucket root vanished'), 'write', uri);
    return atomicWrite(layout, locate(layout, uri), source, signal);
  };

  const writeStream = async (
    uri: string,
    source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    writeOptions: WriteOptions = {},
  ) => {
    locate(lexical, uri);
    const counted = countProgress(source, {
      onProgress: writeOptions.onProgress,
      total: () => writeOptions.size,
    });
    return write(uri, counted, writeOptions.signal);
  };

  return completeStorage({
    backend: 'local',
    createReadStream,
    writeStream,
    list: async (prefixUri, listOptions?: ListOptions) => {
      const { bucket, prefix } = parseStoragePrefixUri(prefixUri);
      const request = pageRequest(listOptions);
      try {
        const layout = await realLayout(false);
        if (layout === undefined) return { objects: [], prefixes: [] };
        return await listLocal(layout, bucket, prefix, request);
      } catch (error) {
        throw fail(error, 'list', prefixUri);
      }
    },
    stat: async (uri) => {
      const target = await locateLater(uri, 'stat')();
      const { handle, stats } = await openObject(target, 'stat');
      await handle.close();
      return localObjectStat(target.bucket, target.name, stats);
    },
    delete: async (uri) => {
      const target = await locateLater(uri, 'delete')();
      try {
        // Through the pinned folder, so a link swapped into the path is never followed.
        await inPinnedDir(dirname(target.file), async (dir) => {
          const file = join(dir, basename(target.file));
          const stats = await lstat(file);
          if (stats.isSymbolicLink()) throw new SymlinkRefused();
          if (!stats.isFile()) throw notFound('delete', uri);
          await unlink(file);
        });
      } catch (error) {
        throw fail(error, 'delete', uri);
      }
      await pruneEmptyParents(bucketPathOf(target), target.file);
    },
    copy: async (sourceUri, destinationUri) => {
      const source = locateLater(sourceUri, 'read');
      return write(destinationUri, readFile(source, {}));
    },
    close: () => Promise.resolve(),
  });
};
