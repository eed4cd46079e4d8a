import { StratusError, formatJobName, type Job, type Logger } from '@stratus/spec';
import {
  removeQueuedTrialJobs,
  type StoreAreas,
  type TrialQueues,
  type TrialRecord,
} from '@stratus/store';
import { markJobCancelled, markJobCancelling } from './job-transitions.js';

/**
 * Mark a job's still-QUEUED trials CANCELLED and take them off their queue; a
 * trial job a worker already took stays (its start is refused once the job is
 * no longer live). Returns the cancelled trial ids.
 */
export const dropQueuedTrials = async (
  store: StoreAreas<'trials'>,
  queues: TrialQueues,
  project: string,
  job: Job,
): Promise<string[]> => {
  const cancelled = await store.trials.cancelQueued(project, job.jobId);
  await removeQueuedTrialJobs(queues, project, job, cancelled);
  return cancelled;
};

/**
 * CANCELLING → CANCELLED once none of the job's trials runs: called by the
 * cancel request itself and by the controller step after each trial stops.
 * Returns whether this call moved the job.
 */
export const settleCancel = async (
  store: StoreAreas<'jobs'>,
  project: string,
  jobId: string,
  trials: readonly TrialRecord[],
): Promise<boolean> => {
  if (trials.some((trial) => trial.state === 'RUNNING')) return false;
  return (await markJobCancelled(store, project, jobId)).ok;
};

/**
 * Cancel a job: a live job moves to CANCELLING, its queued trials are marked
 * CANCELLED and removed from BullMQ, and workers are told to stop its running
 * trials; with none running it goes straight on to CANCELLED (otherwise the
 * controller step after the last trial stops finishes the move). Cancelling a
 * CANCELLING job again repeats the steps; a finished job is refused (400
 * FAILED_PRECONDITION) and left as it was.
 */
export const cancelJob = async (
  store: StoreAreas<'events' | 'jobs' | 'trials'>,
  queues: TrialQueues,
  project: string,
  jobId: string,
  logger?: Pick<Logger, 'debug'>,
): Promise<Job> => {
  const job = await store.jobs.get(project, jobId);
  if (job.state !== 'CANCELLING') {
    const moved = await markJobCancelling(store, project, jobId);
    if (!moved.ok && moved.state !== 'CANCELLING') {
      throw new StratusError('INVALID_STATE_TRANSITION', {
        kind: 'job',
        name: formatJobName(project, jobId),
        from: moved.state,
        to: 'CANCELLING',
      });
    }
  }
  const cancelled = await dropQueuedTrials(store, queues, project, job);
  logger?.debug({ project, jobId, cancelled }, 'queued trials cancelled');
  await store.events.publishCancel(project, jobId);
  await settleCancel(store, project, jobId, await store.trials.list(project, jobId));
  return store.jobs.get(project, jobId);
};
