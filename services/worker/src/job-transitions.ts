import type { JobState } from '@stratus/spec';
import type { StoreAreas, TransitionResult } from '@stratus/store';

/**
 * Job state changes the worker makes. Each is a compare-and-set in the store,
 * so a worker racing another worker (or a cancel from the API) loses cleanly:
 * `ok: false` with the state the job is in now.
 */

/** QUEUED → PREPARING: a worker has taken the job's first trial. */
export const markJobPreparing = (
  store: StoreAreas<'jobs'>,
  project: string,
  jobId: string,
): Promise<TransitionResult> =>
  store.jobs.transition(project, jobId, { from: ['QUEUED'], to: 'PREPARING' });

/** Walk the job forward to RUNNING (QUEUED → PREPARING → RUNNING); returns where it ended up. */
export const markJobRunning = async (
  store: StoreAreas<'jobs'>,
  project: string,
  jobId: string,
): Promise<JobState> => {
  const running = await store.jobs.transition(project, jobId, {
    from: ['PREPARING'],
    to: 'RUNNING',
  });
  if (running.ok) return 'RUNNING';
  if (running.state !== 'QUEUED') return running.state;
  await markJobPreparing(store, project, jobId);
  const retry = await store.jobs.transition(project, jobId, { from: ['PREPARING'], to: 'RUNNING' });
  return retry.ok ? 'RUNNING' : retry.state;
};

/** End a live job: SUCCEEDED (via RUNNING), or FAILED with a message. */
export const finishJob = async (
  store: StoreAreas<'jobs'>,
  project: string,
  jobId: string,
  to: 'SUCCEEDED' | 'FAILED',
  errorMessage?: string,
): Promise<TransitionResult> => {
  if (to === 'FAILED') {
    return store.jobs.transition(project, jobId, {
      from: ['QUEUED', 'PREPARING', 'RUNNING'],
      to,
      ...(errorMessage === undefined ? {} : { patch: { errorMessage } }),
    });
  }
  await markJobRunning(store, project, jobId);
  return store.jobs.transition(project, jobId, { from: ['RUNNING'], to });
};
