import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { File, FileMetadata } from '@google-cloud/storage';
import type { ListOptions, ObjectStat, ReadOptions, Storage, WriteOptions } from './types.js';
import type { GcsStorageOptions } from './gcs-client.js';
import type { StorageOp } from './storage-errors.js';
import { createGcsClient } from './gcs-client.js';
import { classifyGcsError } from './gcs-errors.js';
import { gcsObjectStat } from './gcs-object-stat.js';
import { completeStorage } from './storage-core.js';
import { pageRequest } from './list-paging.js';
import { clampRange, requestedRange } from './byte-range.js';
import { countProgress, transferWithProgress } from './progress.js';
import { toStorageError } from './storage-errors.js';
import { parseStoragePrefixUri, parseStorageUri } from './uri.js';

const DEFAULT_RESUMABLE_THRESHOLD = 8 * 1024 * 1024;

const fail = (error: unknown, op: StorageOp, uri: string): Error =>
  toStorageError(error, classifyGcsError(error), op, uri);

// On a write, a 404 means the bucket does not exist: not a missing object.
const failWrite = (error: unknown, uri: string): Error => {
  const kind = classifyGcsError(error);
  return toStorageError(error, kind === 'not-found' ? 'error' : kind, 'write', uri);
};

const contentLength = (response: unknown): number | undefined => {
  const headers = (response as { headers?: unknown } | undefined)?.headers;
  const value =
    headers instanceof Map || typeof (headers as Headers | undefined)?.get === 'function'
      ? (headers as Headers).get('content-length')
      : (headers as Record<string, string | undefined> | undefined)?.['content-length'];
  return value === undefined || value === null ? undefined : Number(value);
};

async function* readObject(file: File, uri: string, options: ReadOptions): AsyncGenerator<Buffer> {
  const range = requestedRange(options);
  let total: number | undefined;
  try {
    let stream: Readable | undefined;
    if (range.ranged) {
      // Clamp against the real size first: GCS answers 416 to a range past the
      // end (and the emulator the whole object), where we promise no bytes.
      const [meta] = await file.getMetadata();
      const effective = clampRange(range, Number(meta.size ?? 0));
      total = effective?.length ?? 0;
      stream = effective && file.createReadStream({ start: effective.start, end: effective.end });
    } else {
      stream = file.createReadStream();
      stream.once('response', (response: unknown) => {
        total = contentLength(response);
      });
    }
    try {
      yield* transferWithProgress(stream, options, () => total);
    } finally {
      stream?.destroy();
    }
  } catch (error) {
    throw fail(error, 'read', uri);
  }
}

/** Storage on Google Cloud Storage (or a GCS JSON-API emulator) via @google-cloud/storage. */
export const createGcsStorage = (options: GcsStorageOptions = {}): Storage => {
  const client = createGcsClient(options);
  const threshold = options.resumableThreshold ?? DEFAULT_RESUMABLE_THRESHOLD;

  const locate = (uri: string) => {
    const { bucket, name } = parseStorageUri(uri);
    return { bucket, name, file: client.bucket(bucket).file(name) };
  };

  const statOf = async (uri: string, op: StorageOp): Promise<ObjectStat> => {
    const { bucket, name, file } = locate(uri);
    try {
      const [meta] = await file.getMetadata();
      return gcsObjectStat(bucket, name, meta);
    } catch (error) {
      throw fail(error, op, uri);
    }
  };

  return completeStorage({
    backend: 'gcs',
    createReadStream: (uri, readOptions: ReadOptions = {}) => {
      const { file } = locate(uri);
      requestedRange(readOptions);
      return Readable.from(readObject(file, uri, readOptions), { objectMode: false });
    },
    writeStream: async (uri, source, writeOptions: WriteOptions = {}) => {
      const { bucket, name, file } = locate(uri);
      const { contentType, size, signal, onProgress } = writeOptions;
      // One request for small known sizes; a resumable session otherwise. Either
      // way GCS publishes the object only once the upload completes.
      const sink = file.createWriteStream({
        resumable: size === undefined || size > threshold,
        ...(contentType === undefined ? {} : { contentType }),
      });
      try {
        await pipeline(
          countProgress(source, { onProgress, total: () => size }),
          sink,
          signal === undefined ? {} : { signal },
        );
      } catch (error) {
        throw failWrite(error, uri);
      }
      return gcsObjectStat(bucket, name, file.metadata);
    },
    list: async (prefixUri, listOptions?: ListOptions) => {
      const { bucket, prefix } = parseStoragePrefixUri(prefixUri);
      const { pageSize, delimiter, pageToken } = pageRequest(listOptions);
      try {
        const [files, next, response] = await client.bucket(bucket).getFiles({
          autoPaginate: false,
          maxResults: pageSize,
          ...(prefix === '' ? {} : { prefix }),
          ...(delimiter === undefined ? {} : { delimiter }),
          ...(pageToken === undefined ? {} : { pageToken }),
        });
        const prefixes = (response as { prefixes?: string[] } | undefined)?.prefixes ?? [];
        const nextPageToken = (next as { pageToken?: string } | null)?.pageToken;
        return {
          objects: files.map((file) => gcsObjectStat(bucket, file.name, file.metadata)),
          prefixes: prefixes.map((name) => `gs://${bucket}/${name}`),
          ...(nextPageToken === undefined ? {} : { nextPageToken }),
        };
      } catch (error) {
        throw fail(error, 'list', prefixUri);
      }
    },
    stat: (uri) => statOf(uri, 'stat'),
    delete: async (uri) => {
      const { file } = locate(uri);
      try {
        await file.delete();
      } catch (error) {
        throw fail(error, 'delete', uri);
      }
    },
    copy: async (sourceUri, destinationUri) => {
      const source = locate(sourceUri);
      const destination = locate(destinationUri);
      try {
        const [, response] = await source.file.copy(destination.file);
        const resource = (response as { resource?: FileMetadata } | undefined)?.resource;
        const meta = resource ?? (await destination.file.getMetadata())[0];
        return gcsObjectStat(destination.bucket, destination.name, meta);
      } catch (error) {
        throw fail(error, 'copy', sourceUri);
      }
    },
    close: () => Promise.resolve(),
  });
};
