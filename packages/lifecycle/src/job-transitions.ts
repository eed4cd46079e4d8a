import type { Job, JobState } from '@stratus/spec';
import type { StoreAreas, TransitionResult } from '@stratus/store';

/**
 * Every job state change Stratus makes, named for what it means. Each is a
 * compare-and-set in the store (whose script also refuses an edge outside the
 * graph in `@stratus/spec`'s job-state.ts), so a caller racing another (a
 * worker, or a cancel from the API) loses cleanly: `ok: false` with the state
 * the job is in now.
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

/** End a live job FAILED with a message. */
export const failJob = (
  store: StoreAreas<'jobs'>,
  project: string,
  jobId: string,
  errorMessage: string,
): Promise<TransitionResult> =>
  store.jobs.transition(project, jobId, {
    from: ['QUEUED', 'PREPARING', 'RUNNING'],
    to: 'FAILED',
    patch: { errorMessage },
  });

/**
 * End a live job SUCCEEDED, walking it through RUNNING first unless it was
 * RUNNING when `job` was read (should it have moved since, the compare-and-set
 * answers `ok: false` with where it is).
 */
export const succeedJob = async (
  store: StoreAreas<'jobs'>,
  project: string,
  job: Pick<Job, 'jobId' | 'state'>,
): Promise<TransitionResult> => {
  if (job.state !== 'RUNNING') await markJobRunning(store, project, job.jobId);
  return store.jobs.transition(project, job.jobId, { from: ['RUNNING'], to: 'SUCCEEDED' });
};

/** A live job → CANCELLING; a job already CANCELLING stays (`ok: false`, state CANCELLING). */
export const markJobCancelling = (
  store: StoreAreas<'jobs'>,
  project: string,
  jobId: string,
): Promise<TransitionResult> =>
  store.jobs.transition(project, jobId, {
    from: ['QUEUED', 'PREPARING', 'RUNNING'],
    to: 'CANCELLING',
  });

/** CANCELLING → CANCELLED. */
export const markJobCancelled = (
  store: StoreAreas<'jobs'>,
  project: string,
  jobId: string,
): Promise<TransitionResult> =>
  store.jobs.transition(project, jobId, { from: ['CANCELLING'], to: 'CANCELLED' });
