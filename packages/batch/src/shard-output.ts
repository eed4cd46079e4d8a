import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Storage } from '@stratus/storage';

/**
 * A shard's two output objects, streamed while the shard runs. Each is
 * written with `storage.writeStream`, so it appears whole or not at all;
 * `commit` finishes the errors object first and the results object last (its
 * existence marks the shard complete), `discard` leaves both as they were.
 */
export class ShardOutput {
  private readonly results = new PassThrough();
  private readonly errors = new PassThrough();
  private readonly writes = new AbortController();
  private readonly resultsDone: Promise<unknown>;
  private readonly errorsDone: Promise<unknown>;
  /** Rejects when either write fails, so a writer waiting for 'drain' is not stranded. */
  private readonly failed: Promise<never>;

  constructor(
    storage: Storage,
    uris: { readonly results: string; readonly errors: string },
    resultsContentType: string,
  ) {
    const signal = this.writes.signal;
    this.errorsDone = storage.writeStream(uris.errors, this.errors, {
      signal,
      contentType: 'application/x-ndjson',
    });
    this.resultsDone = storage.writeStream(uris.results, this.results, {
      signal,
      contentType: resultsContentType,
    });
    this.failed = Promise.race([this.errorsDone, this.resultsDone]).then(() => {
      throw new Error('an output object was written before the shard finished');
    });
    // `discard` destroys the streams with an error, perhaps before a writer listens: the
    // writes report it (they reject), so the streams' own 'error' events need no handler.
    for (const stream of [this.results, this.errors]) stream.on('error', () => undefined);
    // Each is awaited later; until then a rejection must not count as unhandled.
    for (const done of [this.errorsDone, this.resultsDone, this.failed]) {
      done.catch(() => undefined);
    }
  }

  /** Append text to the results and errors objects, waiting while either is backed up. */
  async append(resultsText: string, errorsText: string): Promise<void> {
    const waits: Promise<unknown>[] = [];
    if (resultsText.length > 0 && !this.results.write(resultsText)) {
      waits.push(once(this.results, 'drain'));
    }
    if (errorsText.length > 0 && !this.errors.write(errorsText)) {
      waits.push(once(this.errors, 'drain'));
    }
    if (waits.length > 0) await Promise.race([Promise.all(waits), this.failed]);
  }

  /** Complete both objects: errors first, then results. */
  async commit(): Promise<void> {
    this.errors.end();
    await this.errorsDone;
    this.results.end();
    await this.resultsDone;
  }

  /** Abandon both writes; neither object changes. */
  async discard(reason: Error): Promise<void> {
    this.writes.abort(reason);
    this.results.destroy(reason);
    this.errors.destroy(reason);
    await Promise.allSettled([this.errorsDone, this.resultsDone]);
  }
}
