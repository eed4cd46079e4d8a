import { StratusError } from '@stratus/spec';
import { jobName, type StoreContext } from './context.js';
import { listTrials } from './jobs.js';
import { assertTrialId } from './keys.js';
import { commandArgs } from './commands/command.js';
import {
  CREATE_TRIAL,
  SHARD_PROGRESS,
  TRIAL_PROGRESS,
  decodeCreateTrialReply,
  decodeShardProgressReply,
  decodeFinishTrialReply,
  decodeTrialProgressReply,
  finishTrialArgs,
} from './commands/trial.js';
import { assertFinite, asHash, execPipeline, fieldArgs } from './redis-util.js';
import { decodeTrial, type TrialRecord } from './trial-codec.js';
import { FINAL_TRIAL_STATES, type FinalTrialState, type TrialState } from './trial-state.js';

/** A new trial: the tuner's suggestion (parameter name → value as a string). */
export interface NewTrial {
  readonly trialId: string;
  readonly hyperparameters: Readonly<Record<string, string>>;
}

/** How a trial ended. */
export interface TrialResult {
  readonly state: FinalTrialState;
  /** The objective metric's final value, and the step it was reported at. */
  readonly finalMetric?: { readonly trainingStep: number; readonly objectiveValue: number };
  readonly errorMessage?: string;
  /** Where the trial exported its model bundle. */
  readonly modelDir?: string;
}

const trialNotFound = (project: string, jobId: string, trialId: string): StratusError =>
  new StratusError('TRIAL_NOT_FOUND', { name: jobName(project, jobId), trialId });

const jobNotFound = (project: string, jobId: string): StratusError =>
  new StratusError('JOB_NOT_FOUND', { name: jobName(project, jobId) });

/** The next unused trial number of the job (`"1"`, `"2"`, …), atomically. */
export const nextTrialId = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
): Promise<string> => String(await ctx.redis.incr(ctx.keys.job(project, jobId).trialSeq));

/** Add QUEUED trials; returns, per trial, whether it was created (false: the id existed). */
export const createTrials = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  trials: readonly NewTrial[],
): Promise<boolean[]> => {
  if (trials.length === 0) return [];
  const jobKeys = ctx.keys.job(project, jobId);
  const createTime = ctx.now().toISOString();
  const pipeline = ctx.redis.pipeline();
  for (const trial of trials) {
    const fields = {
      trialId: assertTrialId(trial.trialId),
      hyperparameters: JSON.stringify(trial.hyperparameters),
      state: 'QUEUED',
      attempts: '0',
      createTime,
    };
    pipeline.stratusCreateTrial(
      commandArgs(CREATE_TRIAL, {
        keys: { meta: jobKeys.meta, trial: jobKeys.trial(trial.trialId), trials: jobKeys.trials },
        args: { trialId: trial.trialId },
        moreArgs: fieldArgs(fields),
      }),
    );
  }
  const replies = (await execPipeline(pipeline)).map(decodeCreateTrialReply);
  if (replies.includes('JOB_NOT_FOUND')) throw jobNotFound(project, jobId);
  return replies.map((reply) => reply === 'CREATED');
};

/** One trial, or undefined. */
export const findTrial = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  trialId: string,
): Promise<TrialRecord | undefined> =>
  decodeTrial(asHash(await ctx.redis.hgetall(ctx.keys.job(project, jobId).trial(trialId))));

/**
 * Record an intermediate value of the objective metric of a RUNNING trial
 * (its series and summary); false when the trial is not running.
 */
export const reportTrialProgress = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  trialId: string,
  point: { readonly step: number; readonly value: number },
): Promise<boolean> => {
  const jobKeys = ctx.keys.job(project, jobId);
  const reply = decodeTrialProgressReply(
    await ctx.redis.stratusTrialProgress(
      commandArgs(TRIAL_PROGRESS, {
        keys: {
          meta: jobKeys.meta,
          trial: jobKeys.trial(trialId),
          series: jobKeys.trialSeries(trialId),
        },
        args: {
          step: Math.trunc(assertFinite('step', point.step)),
          // The decimal string is stored as is (Lua would round a number to 14 digits).
          value: String(assertFinite('value', point.value)),
          maxSeries: ctx.limits.maxTrialSeries,
        },
      }),
    ),
  );
  if (reply === 'TRIAL_NOT_FOUND') throw trialNotFound(project, jobId, trialId);
  return reply === 'RECORDED';
};

/**
 * Record a RUNNING batch prediction shard's rows read so far and, once its
 * output is written, its results and errors; false when the trial is not running.
 */
export const reportShardProgress = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  trialId: string,
  counts: {
    readonly rowsDone: number;
    readonly predictionCount?: number;
    readonly errorCount?: number;
  },
): Promise<boolean> => {
  const reply = decodeShardProgressReply(
    await ctx.redis.stratusShardProgress(
      commandArgs(SHARD_PROGRESS, {
        keys: { trial: ctx.keys.job(project, jobId).trial(trialId) },
        args: {
          rowsDone: Math.trunc(assertFinite('rowsDone', counts.rowsDone)),
          predictionCount:
            counts.predictionCount === undefined ? '' : Math.trunc(counts.predictionCount),
          errorCount: counts.errorCount === undefined ? '' : Math.trunc(counts.errorCount),
        },
      }),
    ),
  );
  if (reply === 'TRIAL_NOT_FOUND') throw trialNotFound(project, jobId, trialId);
  return reply === 'RECORDED';
};

/** The objective values a trial reported, oldest first (Cloud ML's allMetrics). */
export const readTrialSeries = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  trialId: string,
): Promise<{ step: number; value: number }[]> =>
  (await ctx.redis.lrange(ctx.keys.job(project, jobId).trialSeries(trialId), 0, -1)).map(
    (entry) => {
      const [step = '0', value = 'NaN'] = entry.split(' ');
      return { step: Number(step), value: Number(value) };
    },
  );

const finishTrial = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  trialId: string,
  from: readonly TrialState[],
  result: TrialResult,
): Promise<boolean> => {
  if (!(FINAL_TRIAL_STATES as readonly string[]).includes(result.state)) {
    throw new StratusError('INVALID_STATE_TRANSITION', {
      kind: 'trial',
      name: `${jobName(project, jobId)}/trials/${trialId}`,
      from: from.join('|'),
      to: result.state,
    });
  }
  const jobKeys = ctx.keys.job(project, jobId);
  const metric = result.finalMetric;
  const raw = await ctx.redis.stratusFinishTrial(
    finishTrialArgs({
      keys: { meta: jobKeys.meta, trial: jobKeys.trial(trialId) },
      args: {
        from,
        to: result.state,
        now: ctx.now().toISOString(),
        trialId,
        objective:
          metric === undefined ? '' : String(assertFinite('objectiveValue', metric.objectiveValue)),
        trainingStep:
          metric === undefined
            ? ''
            : String(Math.trunc(assertFinite('trainingStep', metric.trainingStep))),
        errorMessage: result.errorMessage ?? '',
        modelDir: result.modelDir ?? '',
      },
    }),
  );
  const reply = decodeFinishTrialReply(raw);
  if (reply === 'TRIAL_NOT_FOUND') throw trialNotFound(project, jobId, trialId);
  return reply === 'RECORDED';
};

/**
 * Record a trial's result exactly once (from QUEUED or RUNNING); false when a
 * result is already recorded. Updates the job's completed count, best trial and model dir.
 */
export const recordTrialResult = (
  ctx: StoreContext,
  project: string,
  jobId: string,
  trialId: string,
  result: TrialResult,
): Promise<boolean> => finishTrial(ctx, project, jobId, trialId, ['QUEUED', 'RUNNING'], result);

/** Mark every still-QUEUED trial CANCELLED (on job cancel); returns their ids. */
export const cancelQueuedTrials = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
): Promise<string[]> => {
  const queued = (await listTrials(ctx, project, jobId)).filter((t) => t.state === 'QUEUED');
  const cancelled = await Promise.all(
    queued.map((trial) =>
      finishTrial(ctx, project, jobId, trial.trialId, ['QUEUED'], { state: 'CANCELLED' }),
    ),
  );
  return queued.filter((_, i) => cancelled[i] === true).map((trial) => trial.trialId);
};
