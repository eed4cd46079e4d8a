import { open, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { ListOptions, ReadOptions, Storage, WriteOptions } from './types.js';
import { completeStorage } from './storage-core.js';
import type { LocalLayout } from './local-paths.js';
import type { LocalTarget } from './local-atomic-write.js';
import type { StorageOp } from './storage-errors.js';
import { bucketDir, localLayout, objectPath } from './local-paths.js';
import { atomicWrite } from './local-atomic-write.js';
import { classifyFsError } from './local-errors.js';
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

const fail = (error: unknown, op: StorageOp, uri: string): Error =>
  toStorageError(error, classifyFsError(error), op, uri);

const openObject = async (target: LocalTarget, op: StorageOp) => {
  const handle = await open(target.file, 'r').catch((error: unknown) => {
    throw fail(error, op, target.uri);
  });
  const stats = await handle.stat({ bigint: true });
  if (stats.isFile()) return { handle, stats };
  await handle.close();
  throw toStorageError(new Error('a folder, not an object'), 'not-found', op, target.uri);
};

async function* readFile(target: LocalTarget, options: ReadOptions): AsyncGenerator<Buffer> {
  const range = requestedRange(options);
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

/** Storage over a local directory: `gs://bucket/name` is `<root>/bucket/name`. */
export const createLocalStorage = (options: LocalStorageOptions): Storage => {
  const layout = localLayout(options.root);

  const createReadStream = (uri: string, readOptions: ReadOptions = {}): Readable => {
    const target = locate(layout, uri);
    requestedRange(readOptions);
    return Readable.from(readFile(target, readOptions), { objectMode: false });
  };

  const writeStream = async (
    uri: string,
    source: Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    writeOptions: WriteOptions = {},
  ) => {
    const target = locate(layout, uri);
    const counted = countProgress(source, {
      onProgress: writeOptions.onProgress,
      total: () => writeOptions.size,
    });
    return atomicWrite(layout, target, counted, writeOptions.signal);
  };

  return completeStorage({
    backend: 'local',
    createReadStream,
    writeStream,
    list: async (prefixUri, listOptions?: ListOptions) => {
      const { bucket, prefix } = parseStoragePrefixUri(prefixUri);
      const request = pageRequest(listOptions);
      try {
        return await listLocal(layout, bucket, prefix, request);
      } catch (error) {
        throw fail(error, 'list', prefixUri);
      }
    },
    stat: async (uri) => {
      const target = locate(layout, uri);
      try {
        const stats = await stat(target.file, { bigint: true });
        if (stats.isFile()) return localObjectStat(target.bucket, target.name, stats);
      } catch (error) {
        throw fail(error, 'stat', uri);
      }
      throw toStorageError(new Error('a folder, not an object'), 'not-found', 'stat', uri);
    },
    delete: async (uri) => {
      const target = locate(layout, uri);
      try {
        await unlink(target.file);
      } catch (error) {
        throw fail(error, 'delete', uri);
      }
      await pruneEmptyParents(bucketDir(layout, target.bucket), target.file);
    },
    copy: async (sourceUri, destinationUri) => {
      const source = locate(layout, sourceUri);
      const destination = locate(layout, destinationUri);
      return atomicWrite(layout, destination, readFile(source, {}));
    },
    close: () => Promise.resolve(),
  });
};
