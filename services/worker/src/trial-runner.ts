import { DelayedError, WaitingError, type Job as BullJob } from 'bullmq';
import {
  StratusError,
  coerceError,
  isStratusError,
  jobUriUses,
  predictionUriUses,
  toWireError,
  type BatchPlan,
  type Job,
  type TrainingInput,
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
import { SHARD_TRIAL_WEIGHT, type TrialPool } from './trial-pool.js';
import { describeExit, type TrialProcessHandle } from './trial-process-handle.js';
import type { ShardSpec } from './ipc-protocol.js';
import { executeShard, type ShardOutcome } from './shard-execution.js';
import { ShardProgressReporter } from './shard-progress.js';
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
  trainingInput: TrainingInput,
): TrialSpec => ({
  project,
  attempt,
  jobId: job.jobId,
  trialId,
  trainingInput,
  hyperparameters,
  tuning: trainingInput.hyperparameters !== undefined,
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
    await store.buckets.authorize(
      project,
      job.predictionInput === undefined
        ? jobUriUses(job.trainingInput ?? { jobDir: '' })
        : predictionUriUses(job.predictionInput),
    );
    return undefined;
  } catch (error) {
    if (!isStratusError(error) || error.retryable) throw error;
    return toWireError(error);
  }
};

/** Settle a claimed trial that cannot run as stored (a Stratus bug, not the user's): INTERNAL. */
const settleInternal = (attempt: Attempt, detail: string, sink: TrialSink): Promise<string> =>
  settle(
    attempt,
    { kind: 'failed', error: toWireError(new StratusError('INTERNAL', { detail })) },
    sink,
  );

/** A trial process for a claimed trial, or the failure to settle when none can start here. */
const acquireProcess = async (
  attempt: Attempt,
): Promise<{ handle: TrialProcessHandle } | { failure: TrialOutcome }> => {
  try {
    return { handle: await attempt.deps.pool.acquire() };
  } catch (error) {
    // Trial processes cannot start here (e.g. a broken backend): another worker may do better.
    const message = `No trial process could start on worker ${attempt.deps.workerId}: ${coerceError(error).message}`;
    const failure = new StratusError('INTERNAL', { detail: message }, { cause: error });
    return { failure: { kind: 'failed', error: toWireError(failure) } };
  }
};

/**
 * Run a claimed batch prediction shard (trial N is shard N − 1 of the plan)
 * in a trial process: its rows read are reported as it goes, its counts once
 * its output is written, then the trial SUCCEEDS; failures, stops and crashes
 * settle as a trial's do (a crashed shard is retried and rewrites its output).
 */
const runShardClaimed = async (
  attempt: Attempt,
  claim: Started,
  plan: BatchPlan,
  sink: TrialSink,
): Promise<string> => {
  const { deps, data, control, logger } = attempt;
  const { store, pool } = deps;
  const { project, jobId, trialId } = data;
  const input = claim.job.predictionInput;
  const shard = plan.shards[Number(trialId) - 1];
  if (input === undefined || shard === undefined) {
    return settleInternal(attempt, `job ${jobId} has no shard ${trialId}`, sink);
  }
  const acquired = await acquireProcess(attempt);
  if ('failure' in acquired) return settle(attempt, acquired.failure, sink);
  const { handle } = acquired;
  sink.log(
    'INFO',
    `Shard ${shard.index + 1} of ${shard.count} (${shard.uri} from line ${shard.firstLine}, ${shard.rows} rows) attempt ${claim.attempt} on worker ${deps.workerId}`,
  );
  const progress = new ShardProgressReporter(store, project, jobId, trialId, logger);
  let running: Promise<unknown> = Promise.resolve();
  let outcome: ShardOutcome | undefined;
  try {
    outcome = await executeShard(
      handle,
      {
        shard,
        model: plan.model,
        dataFormat: input.dataFormat as ShardSpec['dataFormat'],
        outputDataFormat: input.outputDataFormat === 'CSV' ? 'CSV' : 'JSON',
        outputPath: input.outputPath,
        keyField: input.keyField ?? 'key',
        batchSize: plan.batchSize,
        ...(input.signatureName === undefined ? {} : { signatureName: input.signatureName }),
      },
      {
        onStarted: () => {
          running = markJobRunning(store, project, jobId).catch((error: unknown) =>
            logger.warn({ err: error }, 'could not mark the job RUNNING'),
          );
        },
        onProgress: (rowsDone) => progress.report(rowsDone),
      },
      control,
    );
  } finally {
    pool.release(
      handle,
      outcome?.kind === 'succeeded' && control.abortReason === undefined,
      SHARD_TRIAL_WEIGHT,
    );
  }
  await Promise.all([running, progress.settled(), sink.flush()]);
  logger.info({ outcome: outcome.kind }, 'shard ended');
  if (outcome.kind !== 'succeeded') return settle(attempt, outcome, sink);
  const { counts } = outcome;
  await store.trials.reportShard(project, jobId, trialId, {
    rowsDone: counts.predictionCount + counts.errorCount,
    ...counts,
  });
  sink.log(
    'INFO',
    `Shard ${shard.index + 1} of ${shard.count} done: ${counts.predictionCount} results, ${counts.errorCount} errors`,
  );
  await sink.flush();
  await record(attempt, { state: 'SUCCEEDED' });
  return 'SUCCEEDED';
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
  if (claim.batch !== undefined) return runShardClaimed(attempt, claim, claim.batch, sink);
  const { trainingInput } = job;
  if (trainingInput === undefined) {
    return settleInternal(attempt, `job ${jobId} has no trainingInput`, sink);
  }
  const acquired = await acquireProcess(attempt);
  if ('failure' in acquired) return settle(attempt, acquired.failure, sink);
  const { handle } = acquired;
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
      spec !== undefined && (spec.enableTrialEarlyStopping || spec.ashaStopping !== undefined)
        ? new EarlyStopper(store, project, jobId, trialId, spec, deps.earlyStopping)
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
        trainingInput,
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
