import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Storage } from '@stratus/storage';
import { uploadDirectory } from './upload-directory.js';

/**
 * Downloads the checkpoints an earlier attempt left in the bucket (`checkpointsUri/...`) into
 * the new attempt's local checkpoint dir, so a retried trainer resumes from them. Returns the
 * number of files restored.
 */
export async function restoreCheckpoints(
  storage: Storage,
  checkpointsUri: string,
  localDir: string,
  signal?: AbortSignal,
): Promise<number> {
  const prefix = `${checkpointsUri.replace(/\/+$/, '')}/`;
  const prefixName = prefix.slice(prefix.indexOf('/', 5) + 1);
  let files = 0;
  for await (const object of storage.listAll(prefix)) {
    const relative = object.name.slice(prefixName.length);
    if (relative === '' || relative.endsWith('/')) continue;
    const target = path.join(localDir, ...relative.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(
      storage.createReadStream(object.uri, signal ? { signal } : {}),
      createWriteStream(target),
    );
    files += 1;
  }
  return files;
}

/**
 * Copies a running trainer's checkpoint dir to the bucket every `intervalMs` (only files that
 * changed) and once more when stopped, so the checkpoints survive the worker and the local
 * work dir, which is removed when the attempt ends.
 */
export class CheckpointSync {
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly localDir: string,
    private readonly checkpointsUri: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.sync(), intervalMs);
    this.timer.unref();
  }

  /** One pass now; passes never overlap. */
  sync(): Promise<void> {
    this.pending = this.pending
      .then(() =>
        uploadDirectory(this.storage, this.localDir, this.checkpointsUri, { seen: this.seen }),
      )
      .then(
        () => undefined,
        (error: unknown) => this.onError(error),
      );
    return this.pending;
  }

  /** Stop the timer and run a last pass. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.sync();
  }
}
