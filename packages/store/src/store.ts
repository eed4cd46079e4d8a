import type { Logger } from '@stratus/spec';
import type { Redis } from 'ioredis';
import { createEventArea, type EventArea } from './areas/event-area.js';
import { createJobArea, type JobArea } from './areas/job-area.js';
import { createModelArea, type ModelArea } from './areas/model-area.js';
import { createStreamArea, type StreamArea } from './areas/stream-area.js';
import { createTokenArea, type TokenArea } from './areas/token-area.js';
import { createTrialArea, type TrialArea } from './areas/trial-area.js';
import { createVersionArea, type VersionArea } from './areas/version-area.js';
import { createWorkerArea, type WorkerArea } from './areas/worker-area.js';
import { createBucketStore, type BucketStore } from './buckets.js';
import type { StoreContext, StoreLimits } from './context.js';
import { createKeys, type Keys } from './keys.js';
import { defineScripts } from './scripts.js';

export interface JobStoreOptions {
  /** An ioredis connection (without `keyPrefix`); the store defines its scripts on it. */
  readonly redis: Redis;
  /** Key prefix, config's `redisPrefix` (e.g. `stratus`, or `test-<uuid>` in tests). */
  readonly prefix: string;
  readonly limits?: Partial<StoreLimits>;
  readonly logger?: Logger;
  /** @defaultValue () => new Date() */
  readonly now?: () => Date;
}

export const DEFAULT_LIMITS: StoreLimits = Object.freeze({
  maxLogEntries: 100_000,
  maxMetricPoints: 100_000,
  maxTrialSeries: 10_000,
  listScanBudget: 5_000,
  followBlockMs: 5_000,
});

/**
 * The store: the only code that reads or writes Stratus keys in Redis, in one
 * area per resource. A consumer takes only the areas it uses
 * (`StoreAreas<'jobs' | 'trials'>`), so its dependencies read off its type.
 */
export interface JobStore {
  readonly keys: Keys;
  readonly limits: StoreLimits;
  readonly jobs: JobArea;
  readonly trials: TrialArea;
  /** Job log and metric streams. */
  readonly streams: StreamArea;
  readonly events: EventArea;
  readonly tokens: TokenArea;
  readonly workers: WorkerArea;
  readonly models: ModelArea;
  readonly versions: VersionArea;
  /** Bucket ownership and grants; `authorize` checks a request's URIs. */
  readonly buckets: BucketStore;
}

/** The part of the store a consumer uses, e.g. `StoreAreas<'jobs' | 'events'>`. */
export type StoreAreas<K extends keyof JobStore> = Pick<JobStore, K>;

/** Build the job store on an injected ioredis connection. */
export const createJobStore = (options: JobStoreOptions): JobStore => {
  defineScripts(options.redis);
  const ctx: StoreContext = {
    redis: options.redis,
    keys: createKeys(options.prefix),
    limits: Object.freeze({ ...DEFAULT_LIMITS, ...options.limits }),
    now: options.now ?? (() => new Date()),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
  return {
    keys: ctx.keys,
    limits: ctx.limits,
    jobs: createJobArea(ctx),
    trials: createTrialArea(ctx),
    streams: createStreamArea(ctx),
    events: createEventArea(ctx),
    tokens: createTokenArea(ctx),
    workers: createWorkerArea(ctx),
    models: createModelArea(ctx),
    versions: createVersionArea(ctx),
    buckets: createBucketStore(ctx),
  };
};
