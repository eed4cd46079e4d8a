import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { StratusError } from '@stratus/spec';
import { createLocalStorage, type Storage } from '@stratus/storage';
import { downloadFile } from '../actions/transfers.js';
import type { Session } from '../session.js';
import { routedStorage } from './routed-storage.js';

/** The bucket under which `stratus local` stages files from the disk. */
export const SCRATCH_BUCKET = 'stratus-local';

/** A scratch area for one `stratus local` run, removed by `close()`. */
export interface LocalWorkspace {
  /** Temp directory: `buckets/` (the scratch bucket), `cache/`, `work/`. */
  readonly root: string;
  /** Scratch bucket + the configured storage for every other `gs://` bucket. */
  readonly storage: Storage;
  /**
   * A `gs://` URI stays as it is; a local file or directory is copied into
   * the scratch bucket and its URI returned (directories end in `/`).
   */
  stage(location: string, flag: string): Promise<string>;
  /** `gs://stratus-local/<name>`. */
  scratchUri(name: string): string;
  /** Show `scratchUri` as `path` in messages (e.g. the local job dir). */
  alias(uri: string, path: string): void;
  /** A message with scratch URIs replaced by the local paths they stand for. */
  unstage(message: string): string;
  /** Run `work`; an error it throws names local paths instead of scratch URIs. */
  translateErrors<T>(work: () => Promise<T>): Promise<T>;
  /** Copy every object under `prefixUri` into a local directory. */
  exportTo(prefixUri: string, dir: string): Promise<number>;
  close(): Promise<void>;
}

const filesUnder = async (dir: string): Promise<string[]> =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'));

/** Open a scratch workspace; the configured storage opens only if a `gs://` URI needs it. */
export const openLocalWorkspace = async (session: Session): Promise<LocalWorkspace> => {
  const root = await mkdtemp(join(tmpdir(), 'stratus-local-'));
  const scratch = createLocalStorage({ root: join(root, 'buckets') });
  const storage = routedStorage(SCRATCH_BUCKET, scratch, () => session.storage());
  let staged = 0;
  const aliases = new Map<string, string>();
  const scratchUri = (name: string): string => `gs://${SCRATCH_BUCKET}/${name}`;
  const unstage = (message: string): string => {
    let result = message;
    // Longest first, so `…/inputs/1/iris.csv` is not cut at a shorter alias.
    for (const [uri, path] of [...aliases].sort((a, b) => b[0].length - a[0].length)) {
      result = result.split(uri).join(path);
    }
    return result;
  };
  return {
    root,
    storage,
    scratchUri,
    alias: (uri, path) => aliases.set(uri.replace(/\/+$/, ''), path),
    unstage,
    translateErrors: async (work) => {
      try {
        return await work();
      } catch (error) {
        if (error instanceof Error) error.message = unstage(error.message);
        throw error;
      }
    },
    stage: async (location, flag) => {
      if (location.startsWith('gs://')) return location;
      const path = session.path(location);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined) {
        throw new StratusError('INVALID_ARGUMENT', {
          detail: `${flag} ${location}: no such file or directory`,
        });
      }
      staged += 1;
      const base = `inputs/${staged}/${basename(path)}`;
      aliases.set(scratchUri(base), path);
      if (!info.isDirectory()) {
        await scratch.writeStream(scratchUri(base), createReadStream(path));
        return scratchUri(base);
      }
      for (const rel of await filesUnder(path)) {
        await scratch.writeStream(
          scratchUri(`${base}/${rel}`),
          createReadStream(join(path, ...rel.split('/'))),
        );
      }
      return `${scratchUri(base)}/`;
    },
    exportTo: async (prefixUri, dir) => {
      const prefix = prefixUri.endsWith('/') ? prefixUri : `${prefixUri}/`;
      let count = 0;
      for await (const object of storage.listAll(prefix)) {
        const rel = object.uri.slice(prefix.length);
        await downloadFile(storage, object.uri, join(dir, ...rel.split('/')), {});
        count += 1;
      }
      return count;
    },
    close: async () => {
      await storage.close();
      await rm(root, { recursive: true, force: true });
    },
  };
};
