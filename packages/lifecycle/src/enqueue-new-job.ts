import type { Job, Logger } from '@stratus/spec';
import { enqueueTrials, type StoreAreas, type TrialQueues } from '@stratus/store';
import { failJob } from './job-transitions.js';

/**
 * Enqueue a just-stored job's first trials. When enqueueing fails the job is
 * marked FAILED (so it does not sit QUEUED forever) and the error is rethrown.
 */
export const enqueueNewJob = async (
  store: StoreAreas<'jobs'>,
  queues: TrialQueues,
  project: string,
  job: Job,
  trialIds: readonly string[],
  log: Pick<Logger, 'error'>,
): Promise<void> => {
  try {
    await enqueueTrials(queues, project, job, trialIds);
  } catch (error) {
    await failJob(
      store,
      project,
      job.jobId,
      'Stratus could not enqueue the job; submit it again',
    ).catch((err: unknown) => log.error({ err }, 'could not fail the job'));
    throw error;
  }
};
