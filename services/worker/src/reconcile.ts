import { trialJobId, trialQueueKind, type StoreAreas, type TrialQueues } from '@stratus/store';
import { LIVE_JOB_STATES, runControllerStep, type ControllerDeps } from '@stratus/lifecycle';
import { MAX_LIST_PAGE_SIZE, type Logger } from '@stratus/spec';

/** What a reconciliation pass found and did. */
export interface ReconcileReport {
  /** Live jobs examined. */
  readonly jobs: number;
  /** RUNNING trials recorded FAILED because their queue entry ended without a result. */
  readonly lostTrials: number;
  /** Controller steps that changed something (enqueued, finished or cancelled a job). */
  readonly steps: number;
}

/**
 * A trial stays RUNNING only while BullMQ holds its job (active, or waiting
 * again after a stall or a retry back-off). If that entry failed for good or
 * vanished — e.g. its workers died more often than `maxStalledCount` allows —
 * nobody will record the trial: this does, as FAILED.
 */
const failLostTrials = async (
  store: StoreAreas<'jobs' | 'trials'>,
  queues: TrialQueues,
  project: string,
  jobId: string,
): Promise<number> => {
  const job = await store.jobs.find(project, jobId);
  if (job === undefined) return 0;
  const queue = queues[trialQueueKind(job)];
  let lost = 0;
  for (const trial of await store.trials.list(project, jobId)) {
    if (trial.state !== 'RUNNING') continue;
    const entry = await queue.getJob(trialJobId(project, jobId, trial.trialId));
    const state = entry === undefined ? 'missing' : await entry.getState();
    if (state !== 'failed' && state !== 'missing' && state !== 'unknown') continue;
    const reason = entry?.failedReason ?? 'its queue entry is gone';
    const recorded = await store.trials.recordResult(project, jobId, trial.trialId, {
      state: 'FAILED',
      errorMessage: `Trial ${trial.trialId} was lost with its worker: ${reason}`,
    });
    if (recorded) lost += 1;
  }
  return lost;
};

/**
 * Bring every live job forward once: record trials lost with their workers,
 * then run a controller step (which re-enqueues QUEUED trials, starts the
 * next tuning trials, finishes jobs whose trials are all done, and settles
 * cancels). Run when a worker starts and periodically, it heals whatever a
 * crash at any point left behind.
 */
export const reconcileJobs = async (
  deps: ControllerDeps & { readonly logger: Logger },
): Promise<ReconcileReport> => {
  let jobs = 0;
  let lostTrials = 0;
  let steps = 0;
  for (const project of await deps.store.jobs.listProjects()) {
    for (const state of LIVE_JOB_STATES) {
      let pageToken: string | undefined;
      do {
        const page = await deps.store.jobs.listIds(project, {
          filter: `state=${state}`,
          pageSize: MAX_LIST_PAGE_SIZE,
          ...(pageToken === undefined ? {} : { pageToken }),
        });
        for (const jobId of page.jobIds) {
          jobs += 1;
          lostTrials += await failLostTrials(deps.store, deps.queues, project, jobId);
          const step = await runControllerStep(deps, project, jobId, { wait: false });
          if (!['none', 'busy', 'waiting', 'cancelling'].includes(step.action)) steps += 1;
        }
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined);
    }
  }
  if (lostTrials + steps > 0) deps.logger.info({ jobs, lostTrials, steps }, 'reconciled jobs');
  return { jobs, lostTrials, steps };
};
