import { StratusError, formatJobName, type Job } from '@stratus/spec';
import { removeQueuedTrialJobs, type StoreAreas, type TrialQueues } from '@stratus/store';

/** Where cancel reports which queued trials it cancelled and took off the queue. */
export interface CancelLogger {
  debug(obj: object, msg?: string): void;
}

/**
 * Cancel a job: a live job moves to CANCELLING, its queued trials are marked
 * CANCELLED and removed from BullMQ, and workers are told to stop its running
 * trials; with none running it goes straight on to CANCELLED (otherwise the
 * worker whose trial stops finishes the move). Cancelling a CANCELLING job
 * again repeats the steps; a finished job is refused (400 FAILED_PRECONDITION)
 * and left as it was.
 */
export const cancelJob = async (
  store: StoreAreas<'events' | 'jobs' | 'trials'>,
  queues: TrialQueues,
  project: string,
  jobId: string,
  logger?: CancelLogger,
): Promise<Job> => {
  const job = await store.jobs.get(project, jobId);
  if (job.state !== 'CANCELLING') {
    const moved = await store.jobs.transition(project, jobId, {
      from: ['QUEUED', 'PREPARING', 'RUNNING'],
      to: 'CANCELLING',
    });
    if (!moved.ok && moved.state !== 'CANCELLING') {
      throw new StratusError('INVALID_STATE_TRANSITION', {
        kind: 'job',
        name: formatJobName(project, jobId),
        from: moved.state,
        to: 'CANCELLING',
      });
    }
  }
  const cancelled = await store.trials.cancelQueued(project, jobId);
  // A trial job a worker already took stays: claimTrial refuses it now that the job is CANCELLING.
  const removed = await removeQueuedTrialJobs(queues, project, job, cancelled);
  logger?.debug({ project, jobId, cancelled, removed }, 'queued trials cancelled');
  await store.events.publishCancel(project, jobId);
  const trials = await store.trials.list(project, jobId);
  if (!trials.some((trial) => trial.state === 'RUNNING')) {
    await store.jobs.transition(project, jobId, { from: ['CANCELLING'], to: 'CANCELLED' });
  }
  return store.jobs.get(project, jobId);
};
