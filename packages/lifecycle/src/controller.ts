import { setTimeout as sleep } from 'node:timers/promises';
import {
  childLogger,
  isTerminalState,
  silentLogger,
  type JobState,
  type Logger,
} from '@stratus/spec';
import { enqueueTrials, type JobLock, type StoreAreas } from '@stratus/store';
import { batchStep } from './batch-step.js';
import { settleCancel } from './cancel.js';
import { failJob, succeedJob } from './job-transitions.js';
import { tuningOf } from './study.js';
import {
  DEFAULT_CONTROLLER_LOCK_TTL_MS,
  dropQueuedTrials,
  requeueQueuedTrials,
  stepResult,
  type ControllerDeps,
  type ControllerStepResult,
  type StepContext,
} from './step-context.js';
import { tuningStep } from './tuning-step.js';

/**
 * The controller step: what happens to a job after one of its trials ends
 * (or when the worker reconciles it). There is no long-running controller:
 * whichever worker saw the event runs one step under the job's Redis lock.
 * A step reads the job and its trials afresh and only ever moves them
 * forward, so running it twice, or after a crash at any point, is safe.
 */

/** A CANCELLING job: nothing queued, and CANCELLED once no trial runs. */
const cancellingStep = async (ctx: StepContext): Promise<ControllerStepResult> => {
  await dropQueuedTrials(ctx);
  if (await settleCancel(ctx.deps.store, ctx.project, ctx.job.jobId, ctx.trials)) {
    ctx.logger.info({}, 'job cancelled');
    return stepResult('cancelled');
  }
  return stepResult(ctx.trials.some((trial) => trial.state === 'RUNNING') ? 'cancelling' : 'none');
};

/** A job without hyperparameters ends with its one trial. */
const singleTrialStep = async (ctx: StepContext): Promise<ControllerStepResult> => {
  const trial = ctx.trials[0];
  const { store, queues } = ctx.deps;
  if (trial === undefined) {
    // The job's one trial (normally created with the job; this heals a crash in between).
    const [created] = await store.trials.create(ctx.project, ctx.job.jobId, [
      { trialId: '1', hyperparameters: {} },
    ]);
    if (created === true) await enqueueTrials(queues, ctx.project, ctx.job, ['1']);
    return stepResult(created === true ? 'enqueued' : 'none', created === true ? ['1'] : []);
  }
  switch (trial.state) {
    case 'QUEUED':
      await requeueQueuedTrials(ctx);
      return stepResult('waiting');
    case 'RUNNING':
      return stepResult('waiting');
    case 'SUCCEEDED':
    case 'STOPPED': {
      const done = await succeedJob(store, ctx.project, ctx.job);
      return stepResult(done.ok ? 'succeeded' : 'none');
    }
    default: {
      const message = trial.errorMessage ?? `trial ${trial.trialId} ended ${trial.state}`;
      const done = await failJob(store, ctx.project, ctx.job.jobId, message);
      return stepResult(done.ok ? 'failed' : 'none');
    }
  }
};

const step = async (
  deps: ControllerDeps,
  logger: Logger,
  project: string,
  jobId: string,
): Promise<ControllerStepResult> => {
  const found = await deps.store.jobs.findWithTrials(project, jobId);
  if (found === undefined) return stepResult('none');
  const { job, trials } = found;
  const tuning = tuningOf(job, found.tuning);
  const ctx: StepContext = { deps, logger, project, job, tuning, trials };
  if (isTerminalState(job.state)) {
    // A job that ended (e.g. failed by maxFailedTrials) keeps nothing queued.
    await dropQueuedTrials(ctx);
    return stepResult('none');
  }
  if (job.state === 'CANCELLING') return cancellingStep(ctx);
  if (found.batch !== undefined) return batchStep(ctx, found.batch);
  return tuning === undefined ? singleTrialStep(ctx) : tuningStep(ctx, tuning);
};

const acquire = async (
  store: StoreAreas<'jobs' | 'trials'>,
  project: string,
  jobId: string,
  ttlMs: number,
  waitMs: number,
): Promise<JobLock | undefined> => {
  const deadline = Date.now() + waitMs;
  for (let delay = 10; ; delay = Math.min(delay * 2, 250)) {
    const lock = await store.jobs.acquireLock(project, jobId, ttlMs);
    if (lock !== undefined || Date.now() + delay > deadline) return lock;
    await sleep(delay);
  }
};

/**
 * Run one controller step for a job under its lock: record-keeping after a
 * trial ended, the next tuning trials, the job's end. `wait: false` gives up
 * at once when another worker holds the lock.
 */
export const runControllerStep = async (
  deps: ControllerDeps,
  project: string,
  jobId: string,
  options: { readonly wait?: boolean } = {},
): Promise<ControllerStepResult> => {
  const logger = childLogger(deps.logger ?? silentLogger, { project, jobId });
  const lockTtlMs = deps.lockTtlMs ?? DEFAULT_CONTROLLER_LOCK_TTL_MS;
  const waitMs = options.wait === false ? 0 : (deps.lockWaitMs ?? lockTtlMs);
  const lock = await acquire(deps.store, project, jobId, lockTtlMs, waitMs);
  if (lock === undefined) return stepResult('busy');
  try {
    return await step(deps, logger, project, jobId);
  } finally {
    await deps.store.jobs.releaseLock(lock).catch(() => false);
  }
};

/** The job states in which a controller step may still have work. */
export const LIVE_JOB_STATES: readonly JobState[] = [
  'QUEUED',
  'PREPARING',
  'RUNNING',
  'CANCELLING',
];
