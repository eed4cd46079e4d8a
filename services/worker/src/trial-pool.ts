import type { BackendInfo } from '@stratus/bundle';
import type { TrialProcessConfig } from './ipc-protocol.js';
import type { Logger } from '@stratus/spec';
import { TrialProcessHandle, type NodeEntry } from './trial-process-handle.js';

export interface TrialPoolOptions {
  readonly entry: NodeEntry;
  readonly config: TrialProcessConfig;
  /** The trial processes' environment (the worker's, without its secrets). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Processes kept started, TensorFlow.js loaded, waiting for a trial. */
  readonly warm: number;
  /** A process is replaced after this many trials (bounds any slow leak). */
  readonly maxTrialsPerProcess: number;
  /** How long a retired process may take to exit before SIGKILL. */
  readonly retireGraceMs: number;
  readonly logger: Logger;
}

/**
 * A batch prediction shard's share of `maxTrialsPerProcess`. Shards are short
 * (a second or less) and reuse the process's cached model, so counting each as
 * a trial recycled a worker's process every 20 shards, and each recycle
 * stalled the job for a trial-process start and a model load (3-8 s on a busy
 * 2-core machine, bench/batch); counted as a tenth, a process runs 200 shards.
 */
export const SHARD_TRIAL_WEIGHT = 0.1;

/** Warm pool refills stop after this many processes in a row failed to start. */
const MAX_FAILED_STARTS = 3;

/**
 * Trial processes with TensorFlow.js already loaded and the backend chosen,
 * so a trial starts in milliseconds rather than the seconds tfjs takes to
 * load. A process runs one trial at a time; after a clean result it goes
 * back to the pool, after anything else it is retired and replaced.
 */
export class TrialPool {
  private readonly idle: TrialProcessHandle[] = [];
  private readonly starting = new Set<TrialProcessHandle>();
  private readonly busy = new Set<TrialProcessHandle>();
  private failedStarts = 0;
  private closed = false;

  constructor(private readonly options: TrialPoolOptions) {}

  /** Start the warm processes; resolves with the backend the first one selected. */
  async start(): Promise<BackendInfo> {
    const probe = this.spawn();
    this.starting.add(probe);
    this.refill();
    try {
      const backend = await probe.ready;
      if (this.options.warm > 0) this.idle.push(probe);
      else probe.retire(this.options.retireGraceMs);
      return backend;
    } finally {
      this.starting.delete(probe);
    }
  }

  /** A ready trial process for one trial; give it back with {@link release}. */
  async acquire(): Promise<TrialProcessHandle> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const handle = this.takeIdle() ?? this.takeStarting() ?? this.spawn();
      this.busy.add(handle);
      this.refill();
      try {
        await handle.ready;
        if (handle.alive) return handle;
        lastError = new Error('trial process exited while idle');
      } catch (error) {
        lastError = error;
      }
      this.busy.delete(handle);
      handle.retire(this.options.retireGraceMs);
    }
    throw lastError;
  }

  /**
   * Return a process after its trial: pooled again when `reusable`, else retired.
   * `weight` is how much of `maxTrialsPerProcess` the trial used up: 1 for a
   * training trial, SHARD_TRIAL_WEIGHT for a batch prediction shard.
   */
  release(handle: TrialProcessHandle, reusable: boolean, weight = 1): void {
    this.busy.delete(handle);
    handle.trials += weight;
    const keep =
      reusable &&
      !this.closed &&
      handle.alive &&
      handle.trials < this.options.maxTrialsPerProcess &&
      this.idle.length < this.options.warm;
    if (keep) this.idle.push(handle);
    else handle.retire(this.options.retireGraceMs);
    this.refill();
  }

  /** Processes alive now (idle, starting and busy). */
  get size(): number {
    return this.idle.length + this.starting.size + this.busy.size;
  }

  /** Retire every idle and starting process; busy ones are the caller's to stop. */
  async close(): Promise<void> {
    this.closed = true;
    const leaving = [...this.idle, ...this.starting];
    this.idle.length = 0;
    this.starting.clear();
    for (const handle of leaving) handle.retire(this.options.retireGraceMs);
    await Promise.all(leaving.map((handle) => handle.exited));
  }

  private spawn(): TrialProcessHandle {
    const { entry, config, env, logger } = this.options;
    const handle = new TrialProcessHandle(entry, config, env, logger);
    handle.ready.then(
      () => {
        this.failedStarts = 0;
      },
      (error: unknown) => {
        this.failedStarts += 1;
        logger.error({ err: error, trialProcess: handle.pid }, 'trial process failed to start');
      },
    );
    // An idle process that dies (killed from outside) is replaced.
    void handle.exited.then(() => {
      const at = this.idle.indexOf(handle);
      if (at < 0) return;
      this.idle.splice(at, 1);
      this.refill();
    });
    return handle;
  }

  /**
   * Busy processes that come back after their trial: one running its last trial
   * (maxTrialsPerProcess) is retired then, so its replacement starts now, while
   * that trial runs, not after it (bench/batch: shards are short trials, and a
   * worker stalled for a whole tfjs load every 20 shards).
   */
  private returning(): number {
    let count = 0;
    for (const handle of this.busy) {
      if (handle.trials + 1 < this.options.maxTrialsPerProcess) count += 1;
    }
    return count;
  }

  private takeIdle(): TrialProcessHandle | undefined {
    while (this.idle.length > 0) {
      const handle = this.idle.shift();
      if (handle?.alive === true) return handle;
    }
    return undefined;
  }

  private takeStarting(): TrialProcessHandle | undefined {
    const [handle] = this.starting;
    if (handle !== undefined) this.starting.delete(handle);
    return handle;
  }

  /**
   * Keep `warm` processes alive (idle, starting or busy). Busy ones count: a
   * process whose trial ends cleanly comes back, so a spare started beside it
   * would push a warm process out of the pool and cost a tfjs load per trial
   * (load test: 1,000 queued trials), except one on its last trial. A process
   * that is not reusable is replaced when it is released.
   */
  private refill(): void {
    while (
      !this.closed &&
      this.failedStarts < MAX_FAILED_STARTS &&
      this.idle.length + this.starting.size + this.returning() < this.options.warm
    ) {
      const handle = this.spawn();
      this.starting.add(handle);
      handle.ready.then(
        () => {
          if (!this.starting.delete(handle)) return;
          this.idle.push(handle);
        },
        () => {
          this.starting.delete(handle);
          handle.retire(this.options.retireGraceMs);
        },
      );
    }
  }
}
