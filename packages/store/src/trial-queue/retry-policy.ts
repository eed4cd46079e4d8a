import { UnrecoverableError, type Job } from 'bullmq';
import { fromWireError, type WireStratusError } from '@stratus/spec';

/**
 * When a failed trial attempt is tried again. BullMQ retries (up to
 * TRIAL_JOB_OPTIONS.attempts, with back-off) what the attempt throws as a
 * plain Error and never what it throws as an UnrecoverableError; the worker
 * records the trial FAILED once no attempt follows.
 */

/** What becomes of a trial whose attempt failed: tried again, or failed for good. */
export type AttemptFate = 'retry' | 'fail';

/** How often BullMQ has tried a trial before this attempt, and how often it may. */
export interface AttemptCount {
  readonly made: number;
  readonly allowed: number;
}

/** The attempt count of a trial's BullMQ job. */
export const attemptCount = (bullJob: Pick<Job, 'attemptsMade' | 'opts'>): AttemptCount => ({
  made: bullJob.attemptsMade,
  allowed: bullJob.opts.attempts ?? 1,
});

/** Whether no attempt follows this one, whatever it throws. */
export const isLastAttempt = (count: AttemptCount): boolean => count.made + 1 >= count.allowed;

/**
 * Retry a retryable error (storage unavailable, a trial process that died)
 * while attempts are left; fail anything else for good (bad data, a trainer
 * exiting 1, a permission refused).
 */
export const attemptFate = (
  error: { readonly retryable: boolean },
  count: AttemptCount,
): AttemptFate => (error.retryable && !isLastAttempt(count) ? 'retry' : 'fail');

/**
 * What a failed trial attempt throws to BullMQ: the trial's own message, with
 * the StratusError it crossed IPC as (reason, context, violations) as `cause`.
 * Retryable failures are plain Errors, so BullMQ retries them with backoff;
 * the rest are UnrecoverableError, which BullMQ never retries.
 */
export const attemptError = (wire: WireStratusError): Error => {
  const cause = fromWireError(wire);
  if (wire.retryable) return new Error(wire.message, { cause });
  const error = new UnrecoverableError(wire.message);
  error.cause = cause;
  return error;
};
