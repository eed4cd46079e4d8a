import type { JobsOptions } from 'bullmq';

/**
 * BullMQ options of every trial job. Retries are for infrastructure failures
 * (a worker that died or lost Redis); user errors fail for good (see
 * `retry-policy.ts`).
 */
export const TRIAL_JOB_OPTIONS = Object.freeze({
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { count: 1_000, age: 24 * 3600 },
  removeOnFail: { count: 10_000, age: 7 * 24 * 3600 },
}) satisfies JobsOptions;
