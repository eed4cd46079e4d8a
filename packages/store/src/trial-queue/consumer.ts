import { Worker, type Processor } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueKind } from '@stratus/spec';
import { bullmqPrefix, queueName } from '../keys.js';
import type { TrialJobData } from './producer.js';

/** BullMQ settings of a trial consumer. */
export interface TrialConsumerOptions {
  /** Trials the consumer runs at once. */
  readonly concurrency: number;
  /** BullMQ's worker name (the Stratus worker id). */
  readonly name: string;
  /** BullMQ lock on a running trial (renewed every half). @defaultValue 30000 */
  readonly lockDurationMs?: number;
  /** How often BullMQ looks for trials whose worker died. @defaultValue 30000 */
  readonly stalledIntervalMs?: number;
  /** Worker deaths a trial survives before BullMQ fails it. @defaultValue 2 */
  readonly maxStalledCount?: number;
}

/** The defaults of TrialConsumerOptions, defined here once. */
export const TRIAL_CONSUMER_DEFAULTS = Object.freeze({
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  maxStalledCount: 2,
});

/**
 * A BullMQ Worker taking trials of one kind for `processor`. `connection`
 * must have `maxRetriesPerRequest: null` (BullMQ blocks on it); BullMQ does
 * not close a connection it was given.
 */
export const createTrialConsumer = (
  connection: Redis,
  prefix: string,
  kind: QueueKind,
  processor: Processor<TrialJobData, string>,
  options: TrialConsumerOptions,
): Worker<TrialJobData, string> =>
  new Worker<TrialJobData, string>(queueName(prefix, kind), processor, {
    connection,
    prefix: bullmqPrefix(prefix),
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs ?? TRIAL_CONSUMER_DEFAULTS.lockDurationMs,
    stalledInterval: options.stalledIntervalMs ?? TRIAL_CONSUMER_DEFAULTS.stalledIntervalMs,
    maxStalledCount: options.maxStalledCount ?? TRIAL_CONSUMER_DEFAULTS.maxStalledCount,
    name: options.name,
  });
