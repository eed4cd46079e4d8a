import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StratusError } from '@stratus/spec';
import type { ObjectStat, Storage } from '@stratus/storage';

export interface DatasetCacheOptions {
  /** Directory for cached objects; created on first use. */
  readonly dir: string;
}

/** A local copy of one version of a stored object. */
export interface CachedFile {
  readonly path: string;
  /** The version copied. */
  readonly stat: ObjectStat;
  /** True when this version was already on disk and nothing was read from storage. */
  readonly hit: boolean;
}

export interface FetchOptions {
  /** Metadata the caller already has (from a listing), saving one `stat` call. */
  readonly stat?: ObjectStat;
  readonly signal?: AbortSignal;
}

/** Copies that came out a different size or checksum than the stat said (the object changed mid-read) are retried this often. */
const ATTEMPTS = 3;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Local copies of stored objects, keyed by (URI, generation, etag): an
 * unchanged object is read from storage once, a rewritten one is read again
 * and replaces its older copy. File names are hashes, so no URI can name a
 * path outside `dir`; copies appear by rename, so a reader (in this process
 * or another worker sharing the directory) never sees a partial file.
 */
export class DatasetCache {
  private readonly inFlight = new Map<string, Promise<CachedFile>>();

  constructor(readonly options: DatasetCacheOptions) {}

  /** The local path of the current version of `uri`, downloading it if it is not cached. */
  async fetch(storage: Storage, uri: string, options: FetchOptions = {}): Promise<CachedFile> {
    const current = options.stat ?? (await storage.stat(uri));
    const path = this.pathOf(current);
    const pending = this.inFlight.get(path);
    if (pending !== undefined) return pending;
    const work = this.fetchVersion(storage, current, path, options.signal).finally(() =>
      this.inFlight.delete(path),
    );
    this.inFlight.set(path, work);
    return work;
  }

  /** Where a version of an object lives: `<dir>/<h(uri):2>/<h(uri)>/<h(generation, etag)><ext>`. */
  pathOf(object: ObjectStat): string {
    const uriHash = sha256(object.uri);
    const version = sha256(`${object.generation}\n${object.etag}`).slice(0, 32);
    const ext = /\.[a-z0-9]{1,8}$/i.exec(object.uri)?.[0].toLowerCase() ?? '';
    return join(this.options.dir, uriHash.slice(0, 2), uriHash, `${version}${ext}`);
  }

  private async fetchVersion(
    storage: Storage,
    first: ObjectStat,
    firstPath: string,
    signal: AbortSignal | undefined,
  ): Promise<CachedFile> {
    let object = first;
    let path = firstPath;
    for (let attempt = 1; ; attempt += 1) {
      if (await isComplete(path, object.size)) return { path, stat: object, hit: true };
      const problem = await this.download(storage, object, path, signal);
      if (problem === undefined) return { path, stat: object, hit: false };
      if (attempt >= ATTEMPTS) {
        throw new StratusError('STORAGE_ERROR', { op: 'read', uri: object.uri, detail: problem });
      }
      object = await storage.stat(object.uri);
      path = this.pathOf(object);
    }
  }

  /** Copy one version into place; returns why the copy does not match the stat, if it does not. */
  private async download(
    storage: Storage,
    object: ObjectStat,
    path: string,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    const md5 = createHash('md5');
    let bytes = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        md5.update(chunk);
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(
        storage.createReadStream(object.uri, { signal }),
        measure,
        createWriteStream(temp),
        { signal },
      );
      const problem = await mismatch(storage, object, bytes, md5.digest());
      if (problem !== undefined) {
        await unlink(temp);
        return problem;
      }
      await rename(temp, path);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    await removeOtherVersions(dir, path);
    return undefined;
  }
}

async function isComplete(path: string, size: number): Promise<boolean> {
  try {
    return (await stat(path)).size === size;
  } catch {
    return false;
  }
}

/** Whether the bytes read are the version the stat described (it may have been rewritten meanwhile). */
async function mismatch(
  storage: Storage,
  object: ObjectStat,
  bytes: number,
  digest: Buffer,
): Promise<string | undefined> {
  if (bytes !== object.size) {
    return `read ${bytes} bytes but generation ${object.generation} has ${object.size}; the object changed while being read`;
  }
  if (object.md5Hash !== undefined) {
    const ok =
      object.md5Hash === digest.toString('base64') || object.md5Hash === digest.toString('hex');
    return ok ? undefined : `MD5 of the bytes read differs from generation ${object.generation}`;
  }
  // Without a checksum, a version that changed to the same size shows up as a new generation.
  const after = await storage.stat(object.uri);
  return after.generation === object.generation && after.etag === object.etag
    ? undefined
    : `generation ${object.generation} was replaced by ${after.generation} while being read`;
}

/** Drop older versions of the same object; in-flight temp files of other writers are left alone. */
async function removeOtherVersions(dir: string, keep: string): Promise<void> {
  const keepName = keep.slice(dir.length + 1);
  for (const name of await readdir(dir)) {
    if (name === keepName || name.endsWith('.tmp')) continue;
    await unlink(join(dir, name)).catch(() => undefined);
  }
}
