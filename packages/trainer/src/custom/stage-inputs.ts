import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { StratusError } from '@stratus/spec';
import { parseStoragePrefixUri, type ObjectStat, type Storage } from '@stratus/storage';

/** A `gs://` URI in an arg, as the whole arg or as the value of `--name=`. */
const URI_IN_ARG = /^(--[^=]+=)?(gs:\/\/.+)$/;

export interface StagingLimits {
  /** Bytes all staged inputs may hold together. */
  readonly maxBytes: number;
  /** Objects one trial may stage. @defaultValue 10000 */
  readonly maxFiles?: number;
}

export interface StagedInputs {
  /** The args with every staged URI replaced by its local path. */
  readonly args: string[];
  /** What was staged: one line per URI, for the trial log. */
  readonly notes: string[];
}

/** The local path of `gs://bucket/name` under the inputs dir. */
export const stagedPath = (inputsDir: string, bucket: string, name: string): string =>
  path.join(inputsDir, bucket, ...name.split('/').filter((part) => part !== ''));

/**
 * Custom trainers have no network and no storage credentials, so the runner brings their data
 * to them: every `gs://` URI in `args` (the whole arg, or the value of `--name=gs://...`) that
 * names an object, or a prefix holding objects, is downloaded under `inputsDir/<bucket>/...`
 * (bound read-only into the sandbox) and the arg is rewritten to that path. URIs that name
 * nothing are left as they are. The worker has already checked that the job's project may
 * read each bucket. Throws INPUT_TOO_LARGE past the limits.
 */
export async function stageInputs(
  storage: Storage,
  args: readonly string[],
  inputsDir: string,
  limits: StagingLimits,
  signal?: AbortSignal,
): Promise<StagedInputs> {
  const maxFiles = limits.maxFiles ?? 10_000;
  let bytes = 0;
  let files = 0;
  const notes: string[] = [];
  const fetched = new Set<string>();
  const fetch = async (object: ObjectStat): Promise<void> => {
    // Two args may name the same object, or a folder and an object in it.
    if (fetched.has(object.uri)) return;
    fetched.add(object.uri);
    files += 1;
    bytes += object.size;
    if (files > maxFiles || bytes > limits.maxBytes) {
      throw new StratusError('INPUT_TOO_LARGE', {
        uri: object.uri,
        detail: `staged inputs may hold ${maxFiles} objects and ${limits.maxBytes} bytes (STRATUS_TRAINER_DISK_MB)`,
      });
    }
    const target = stagedPath(inputsDir, object.bucket, object.name);
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(
      storage.createReadStream(object.uri, signal ? { signal } : {}),
      createWriteStream(target, { flags: 'wx', mode: 0o444 }),
    );
  };
  const rewritten: string[] = [];
  for (const arg of args) {
    const match = URI_IN_ARG.exec(arg);
    const flag = match?.[1] ?? '';
    const uri = match?.[2];
    if (uri === undefined) {
      rewritten.push(arg);
      continue;
    }
    const { bucket, prefix } = parseStoragePrefixUri(uri);
    const exact =
      prefix !== '' && !prefix.endsWith('/') ? await statOrUndefined(storage, uri) : undefined;
    if (exact !== undefined) {
      await fetch(exact);
      rewritten.push(`${flag}${stagedPath(inputsDir, bucket, prefix)}`);
      notes.push(`staged ${uri} (${exact.size} bytes) at ${stagedPath(inputsDir, bucket, prefix)}`);
      continue;
    }
    const dirPrefix = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
    let count = 0;
    for await (const object of storage.listAll(`gs://${bucket}/${dirPrefix}`)) {
      if (object.name.endsWith('/')) continue; // folder placeholders
      await fetch(object);
      count += 1;
    }
    if (count === 0) {
      rewritten.push(arg);
      notes.push(`not staged: ${uri} names no object or folder`);
      continue;
    }
    const local = stagedPath(inputsDir, bucket, dirPrefix);
    rewritten.push(`${flag}${local}${uri.endsWith('/') ? '/' : ''}`);
    notes.push(`staged ${uri} (${count} objects) at ${local}`);
  }
  return { args: rewritten, notes };
}

async function statOrUndefined(storage: Storage, uri: string): Promise<ObjectStat | undefined> {
  try {
    return await storage.stat(uri);
  } catch (error) {
    if (error instanceof StratusError && error.reason === 'OBJECT_NOT_FOUND') return undefined;
    throw error;
  }
}
