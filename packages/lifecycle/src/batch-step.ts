import type { BatchPlan, PredictionShard } from '@stratus/spec';
import { enqueueTrials, type TrialRecord } from '@stratus/store';
import { failJob, succeedJob } from './job-transitions.js';
import {
  dropQueuedTrials,
  stepResult,
  type ControllerStepResult,
  type StepContext,
} from './step-context.js';
import { shardParallelism } from './submit-prediction.js';

/** "shard 3 of 8 (gs://b/in.jsonl from line 1201)" */
export const describeShard = (shard: PredictionShard | undefined, trialId: string): string =>
  shard === undefined
    ? `shard trial ${trialId}`
    : `shard ${shard.index + 1} of ${shard.count} (${shard.uri} from line ${shard.firstLine})`;

const shardOf = (plan: BatchPlan, trial: TrialRecord): PredictionShard | undefined =>
  plan.shards[Number(trial.trialId) - 1];

/** The job's end once every shard succeeded: FAILED when errors pass the plan's share. */
const finish = async (ctx: StepContext, plan: BatchPlan): Promise<ControllerStepResult> => {
  const { store } = ctx.deps;
  let errors = 0;
  let rows = 0;
  for (const trial of ctx.trials) {
    errors += trial.shard?.errorCount ?? 0;
    rows += (trial.shard?.errorCount ?? 0) + (trial.shard?.predictionCount ?? 0);
  }
  if (rows > 0 && errors / rows > plan.maxErrorRate) {
    const share = ((errors * 100) / rows).toFixed(2);
    const message =
      `${errors} of ${rows} rows (${share}%) were errors, more than maxErrorRate ` +
      `${plan.maxErrorRate}; see prediction.errors_stats-* in ${ctx.job.predictionInput?.outputPath ?? 'the output path'}`;
    const done = await failJob(store, ctx.project, ctx.job.jobId, message);
    return stepResult(done.ok ? 'failed' : 'none');
  }
  const done = await succeedJob(store, ctx.project, ctx.job);
  return stepResult(done.ok ? 'succeeded' : 'none');
};

/**
 * A batch prediction job's step (its trials are its shards): FAILED with the
 * first failed shard's error; once every shard succeeded, SUCCEEDED unless the
 * error share passes the plan's `maxErrorRate`; else the next QUEUED shards
 * enqueued up to `maxWorkerCount` running at once (enqueueing one already on
 * its queue is a no-op, so a repeated step adds nothing).
 */
export const batchStep = async (
  ctx: StepContext,
  plan: BatchPlan,
): Promise<ControllerStepResult> => {
  const { store, queues } = ctx.deps;
  const failed = ctx.trials.find(
    (trial) => trial.state === 'FAILED' || trial.state === 'CANCELLED',
  );
  if (failed !== undefined) {
    await dropQueuedTrials(ctx);
    const message = `${describeShard(shardOf(plan, failed), failed.trialId)} failed: ${failed.errorMessage ?? failed.state}`;
    const done = await failJob(store, ctx.project, ctx.job.jobId, message);
    return stepResult(done.ok ? 'failed' : 'none');
  }
  if (ctx.trials.length > 0 && ctx.trials.every((trial) => trial.state === 'SUCCEEDED')) {
    return finish(ctx, plan);
  }
  const running = ctx.trials.filter((trial) => trial.state === 'RUNNING').length;
  const free = shardParallelism(ctx.job, plan.shards.length) - running;
  const next = ctx.trials
    .filter((trial) => trial.state === 'QUEUED')
    .slice(0, Math.max(0, free))
    .map((trial) => trial.trialId);
  if (next.length > 0) await enqueueTrials(queues, ctx.project, ctx.job, next);
  return stepResult('waiting');
};
