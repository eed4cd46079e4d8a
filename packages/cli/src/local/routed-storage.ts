import { PassThrough, pipeline, type Readable } from 'node:stream';
import { coerceError } from '@stratus/spec';
import type { ListOptions, ObjectStat, ReadOptions, Storage, WriteOptions } from '@stratus/storage';
import { parseStoragePrefixUri } from '@stratus/storage';

/**
 * One Storage over two: URIs in `bucket` go to `scratch` (a local directory
 * holding what `stratus local` staged from the disk), every other bucket to
 * `main` (the configured backend, opened only when first used). This lets a
 * trial read `./data/iris.csv` and `gs://b/more.csv` in the same run.
 */
export const routedStorage = (
  bucket: string,
  scratch: Storage,
  openMain: () => Promise<Storage>,
): Storage => {
  let main: Promise<Storage> | undefined;
  const mainStorage = (): Promise<Storage> => (main ??= openMain());
  let mainOpened: Storage | undefined;
  /** createReadStream is synchronous: before the main backend is open, hand out a pass-through. */
  const streamFrom = (uri: string, options?: ReadOptions): Readable => {
    if (parseStoragePrefixUri(uri).bucket === bucket) return scratch.createReadStream(uri, options);
    if (mainOpened !== undefined) return mainOpened.createReadStream(uri, options);
    const pass = new PassThrough();
    mainStorage().then(
      (opened) => {
        mainOpened = opened;
        pipeline(opened.createReadStream(uri, options), pass, () => undefined);
      },
      (error: unknown) => pass.destroy(coerceError(error)),
    );
    return pass;
  };
  /** The backend for a URI (opening the main one if needed). */
  const remember = async (uri: string): Promise<Storage> => {
    if (parseStoragePrefixUri(uri).bucket === bucket) return scratch;
    mainOpened = await mainStorage();
    return mainOpened;
  };
  return {
    backend: scratch.backend,
    read: async (uri: string, options?: ReadOptions) => (await remember(uri)).read(uri, options),
    createReadStream: streamFrom,
    write: async (uri: string, data: Uint8Array | string, options?: WriteOptions) =>
      (await remember(uri)).write(uri, data, options),
    writeStream: async (uri, source, options) =>
      (await remember(uri)).writeStream(uri, source, options),
    list: async (uri: string, options?: ListOptions) => (await remember(uri)).list(uri, options),
    listAll: async function* (uri: string): AsyncIterable<ObjectStat> {
      yield* (await remember(uri)).listAll(uri);
    },
    stat: async (uri: string) => (await remember(uri)).stat(uri),
    exists: async (uri: string) => (await remember(uri)).exists(uri),
    delete: async (uri: string) => (await remember(uri)).delete(uri),
    copy: async (from: string, to: string) => {
      const [source, target] = await Promise.all([remember(from), remember(to)]);
      if (source === target) return source.copy(from, to);
      const { size } = await source.stat(from);
      return target.writeStream(to, source.createReadStream(from), { size });
    },
    close: async () => {
      await scratch.close();
      if (main !== undefined) await (await main).close();
    },
  };
};
