import { DelayedError, WaitingError, type Job as BullJob } from 'bullmq';
import {
  StratusError,
  coerceError,
  isStratusError,
  jobUriUses,
  toWireError,
  type Job,
  type WireStratusError,
} from '@stratus/spec';
import {
  attemptCount,
  attemptError,
  attemptFate,
  isLastAttempt,
  type StartTrialResult,
  type StoreAreas,
  type TrialJobData,
  type TrialResult,
} from '@stratus/store';
import type { TrialSpec } from '@stratus/trainer';
import type { MedianStoppingOptions } from '@stratus/tuner';
import { EarlyStopper } from './early-stopping.js';
import type { Logger } from '@stratus/spec';
import {
  markJobRunning,
  runControllerStep,
  tuningOf,
  type ControllerDeps,
} from '@stratus/lifecycle';
import type { ProjectQuota } from './project-quota.js';
import { executeTrial, type TrialControl, type TrialOutcome } from './trial-execution.js';
import type { TrialPool } from './trial-pool.js';
import { describeExit, type TrialProcessHandle } from './trial-process-handle.js';
import { TrialProgressTracker } from './trial-progress.js';
import { TrialSink, type TrialSinkOptions } from './trial-sink.js';

/** What running one trial needs. */
export interface TrialRunnerDeps {
  readonly store: StoreAreas<'buckets' | 'jobs' | 'streams' | 'trials'>;
  readonly pool: TrialPool;
  readonly workerId: string;
  readonly controller: ControllerDeps;
  readonly sink: TrialSinkOptions;
  readonly earlyStopping: MedianStoppingOptions;
  /** The projects' running-trial slots. */
  readonly quota: ProjectQuota;
  /**
   * How long a trial whose project is at its running-trials quota waits in
   * BullMQ's delayed set (plus up to half as much jitter).
   */
  readonly quotaRetryMs: number;
}

type Started = Extract<StartTrialResult, { ok: true }>;

/** One trial's BullMQ job, claimed, with everything settle() needs. */
interface Attempt {
  readonly deps: TrialRunnerDeps;
  readonly bullJob: BullJob<TrialJobData>;
  readonly token: string | undefined;
  readonly data: TrialJobData;
  readonly control: TrialControl;
  readonly logger: Logger;
}

const record = async (attempt: Attempt, result: TrialResult): Promise<void> => {
  const { store } = attempt.deps;
  const { project, jobId, trialId } = attempt.data;
  const recorded = await store.trials.recordResult(project, jobId, trialId, result);
  if (!recorded) attempt.logger.warn({ state: result.state }, 'trial result was already recorded');
  await runControllerStep(attempt.deps.controller, project, jobId);
};

/** Turn a trial's outcome into its recorded result and the BullMQ job's fate. */
const settle = async (
  attempt: Attempt,
  outcome: TrialOutcome,
  sink: TrialSink,
): Promise<string> => {
  switch (outcome.kind) {
    case 'succeeded': {
      const r = outcome.result;
      const state = r.stoppedEarly === true ? 'STOPPED' : 'SUCCEEDED';
      await record(attempt, {
        state,
        ...(r.objective === undefined
          ? {}
          : { finalMetric: { trainingStep: r.trainingStep, objectiveValue: r.objective } }),
        ...(r.modelDir === '' ? {} : { modelDir: r.modelDir }),
      });
      return state;
    }
    case 'aborted':
      if (outcome.reason === 'shutdown') {
        sink.log(
          'INFO',
          'Trial paused: its worker is shutting down; it resumes from its last checkpoint',
        );
        await sink.flush();
        // Back to the wait list without using up an attempt (BullMQ's documented pattern).
        await attempt.bullJob.moveToWait(attempt.token);
        throw new WaitingError();
      }
      await record(attempt, { state: 'CANCELLED' });
      return 'CANCELLED';
    case 'failed': {
      const { error } = outcome;
      if (attemptFate(error, attemptCount(attempt.bullJob)) === 'retry') {
        sink.log('WARNING', `Trial attempt failed and will be retried: ${error.message}`);
        await sink.flush();
        throw attemptError(error);
      }
      sink.log('ERROR', error.message);
      await sink.flush();
      await record(attempt, { state: 'FAILED', errorMessage: error.message });
      // A user error (bad data, a trainer exiting 1) is not retried.
      throw attemptError(error);
    }
    case 'crashed': {
      const message = `Trial process died (${describeExit(outcome.exit)})${
        outcome.exit.signal === 'SIGKILL' ? ', possibly out of memory' : ''
      }`;
      const last = isLastAttempt(attemptCount(attempt.bullJob));
      sink.log(last ? 'ERROR' : 'WARNING', message);
      await sink.flush();
      if (last) await record(attempt, { state: 'FAILED', errorMessage: message });
      throw new Error(message);
    }
  }
};

const trialSpec = (
  project: string,
  job: Job,
  trialId: string,
  hyperparameters: Readonly<Record<string, string>>,
  metricTag: string | undefined,
  attempt: number,
): TrialSpec => ({
  project,
  attempt,
  jobId: job.jobId,
  trialId,
  trainingInput: job.trainingInput,
  hyperparameters,
  tuning: job.trainingInput.hyperparameters !== undefined,
  ...(metricTag === undefined ? {} : { hyperparameterMetricTag: metricTag }),
});

/**
 * Check the job's bucket URIs again before any read or write: a grant
 * revoked since the job was submitted stops the trial with PERMISSION_DENIED,
 * not retried. Redis trouble throws, so BullMQ retries the trial.
 */
const bucketRefusal = async (
  store: StoreAreas<'buckets' | 'jobs' | 'streams' | 'trials'>,
  project: string,
  job: Job,
): Promise<WireStratusError | undefined> => {
  try {
    await store.buckets.authorize(project, jobUriUses(job.trainingInput));
    return undefined;
  } catch (error) {
    if (!isStratusError(error) || error.retryable) throw error;
    return toWireError(error);
  }
};

/** Run a claimed trial in a trial process and settle its outcome. */
const runClaimed = async (attempt: Attempt, claim: Started): Promise<string> => {
  const { deps, data, control, logger } = attempt;
  const { store, pool } = deps;
  const { project, jobId, trialId } = data;
  const { job, attempt: attemptNumber } = claim;
  const spec = tuningOf(job, claim.tuning);
  const sink = new TrialSink(store, project, jobId, trialId, logger, deps.sink);
  const refusal = await bucketRefusal(store, project, job);
  if (refusal !== undefined) return settle(attempt, { kind: 'failed', error: refusal }, sink);
  let handle: TrialProcessHandle;
  try {
    handle = await pool.acquire();
  } catch (error) {
    // Trial processes cannot start here (e.g. a broken backend): another worker may do better.
    const message = `No trial process could start on worker ${deps.workerId}: ${coerceError(error).message}`;
    const failure = new StratusError('INTERNAL', { detail: message }, { cause: error });
    return settle(attempt, { kind: 'failed', error: toWireError(failure) }, sink);
  }
  sink.log(
    'INFO',
    `Trial ${trialId} attempt ${attemptNumber} on worker ${deps.workerId}, trial process ${String(handle.pid)}` +
      (attemptNumber > 1 ? ' (resuming after an earlier attempt stopped)' : ''),
  );
  const progress = new TrialProgressTracker({
    store,
    project,
    jobId,
    trialId,
    metricTag: spec?.hyperparameterMetricTag,
    stopper:
      spec?.enableTrialEarlyStopping === true
        ? new EarlyStopper(store, project, jobId, spec, deps.earlyStopping)
        : undefined,
    control,
    sink,
    logger,
  });
  let running: Promise<unknown> = Promise.resolve();
  let outcome: TrialOutcome | undefined;
  try {
    outcome = await executeTrial(
      handle,
      trialSpec(
        project,
        job,
        trialId,
        claim.hyperparameters,
        spec?.hyperparameterMetricTag,
        attemptNumber,
      ),
      {
        onStarted: () => {
          running = markJobRunning(store, project, jobId).catch((error: unknown) =>
            logger.warn({ err: error }, 'could not mark the job RUNNING'),
          );
        },
        onLog: (severity, message, time) => sink.log(severity, message, time),
        onMetrics: (step, values, time) => {
          sink.metrics(step, values, time);
          progress.report(step, values);
        },
        onProgress: () => undefined,
      },
      control,
    );
  } finally {
    pool.release(handle, outcome?.kind === 'succeeded' && control.abortReason === undefined);
  }
  await Promise.all([running, progress.settled(), sink.flush()]);
  logger.info({ outcome: outcome.kind }, 'trial ended');
  return settle(attempt, outcome, sink);
};

/** A start the store refused: wait for a slot, drop the trial, or only run the controller step. */
const notStarted = async (
  deps: TrialRunnerDeps,
  bullJob: BullJob<TrialJobData>,
  token: string | undefined,
  refusal: Exclude<StartTrialResult, { ok: true }>,
  logger: Logger,
): Promise<string> => {
  const { project, jobId, trialId } = bullJob.data;
  switch (refusal.reason) {
    case 'PROJECT_FULL': {
      await deps.quota.waiting(bullJob.data, refusal.held);
      const jitter = Math.floor(Math.random() * (deps.quotaRetryMs / 2));
      await bullJob.moveToDelayed(Date.now() + deps.quotaRetryMs + jitter, token);
      throw new DelayedError();
    }
    case 'JOB_NOT_FOUND':
      logger.warn({}, 'job no longer exists; dropping its trial');
      return 'job-missing';
    case 'JOB_NOT_LIVE':
      // Cancelled or ended before this trial started.
      await deps.store.trials.recordResult(project, jobId, trialId, { state: 'CANCELLED' });
      break;
    case 'TRIAL_FINISHED':
      // Its result is in and only the controller step is missing (the last worker died in between).
      break;
  }
  await runControllerStep(deps.controller, project, jobId);
  return refusal.reason;
};

/**
 * Process one trial's BullMQ job: start the trial (its project slot, the
 * claim — a RUNNING one again after its worker died, the trainer resuming
 * from the checkpoint in the trial directory — and the job's PREPARING, in
 * one step), run it in a trial process, record its result once, run the
 * controller step. User errors fail the BullMQ job for good; infrastructure
 * errors throw so BullMQ retries with backoff.
 */
export const processTrial = async (
  deps: TrialRunnerDeps,
  bullJob: BullJob<TrialJobData>,
  token: string | undefined,
  control: TrialControl,
  logger: Logger,
): Promise<string> => {
  const data = bullJob.data;
  const { project, jobId, trialId } = data;
  const { store, quota } = deps;
  const started = await store.trials.start(project, jobId, trialId, {
    workerId: deps.workerId,
    slot: quota.slotFor(data),
  });
  if (!started.ok) return notStarted(deps, bullJob, token, started, logger);
  const slot = quota.entered(data);
  try {
    const attempt: Attempt = { deps, bullJob, token, data, control, logger };
    if (control.abortReason === 'cancel') {
      await record(attempt, { state: 'CANCELLED' });
      return 'CANCELLED';
    }
    if (control.abortReason === 'shutdown') {
      await bullJob.moveToWait(token);
      throw new WaitingError();
    }
    return await runClaimed(attempt, started);
  } finally {
    await quota
      .leave(slot)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not release a project slot'));
  }
};
