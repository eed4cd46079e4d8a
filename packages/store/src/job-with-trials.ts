import type { BatchPlan, Job, ResolvedHyperparameterSpec } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { decodeJob } from './job-codec.js';
import { asHash, asStrings, execPipeline } from './redis-util.js';
import { decodeTrial, type TrialRecord } from './trial-codec.js';

/** A job with every trial it has and the tuning spec stored at submission. */
export interface JobWithTrials {
  readonly job: Job;
  /** Every trial, ordered by trial number (for a job without tuning too). */
  readonly trials: readonly TrialRecord[];
  /** The spec resolved at submission (`CreateJobOptions.tuning`); undefined when none was stored. */
  readonly tuning: ResolvedHyperparameterSpec | undefined;
  /** A batch prediction job's plan (`CreateJobOptions.batch`); undefined for a training job. */
  readonly batch: BatchPlan | undefined;
}

/**
 * The job, its trials and its stored tuning spec in two round trips (the meta
 * and trial ids, then the trials), for a controller step; undefined when the
 * project has no such job.
 */
export const findJobWithTrials = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
): Promise<JobWithTrials | undefined> => {
  const jobKeys = ctx.keys.job(project, jobId);
  const [metaReply, idsReply] = await execPipeline(
    ctx.redis.pipeline().hgetall(jobKeys.meta).zrange(jobKeys.trials, 0, -1),
  );
  const meta = asHash(metaReply);
  if (meta.state === undefined) return undefined;
  const ids = asStrings(idsReply);
  const pipeline = ctx.redis.pipeline();
  for (const trialId of ids) pipeline.hgetall(jobKeys.trial(trialId));
  const replies = ids.length === 0 ? [] : await execPipeline(pipeline);
  const trials = replies.flatMap((reply) => decodeTrial(asHash(reply)) ?? []);
  return {
    job: decodeJob(meta, trials),
    trials,
    tuning:
      meta.tuningSpec === undefined
        ? undefined
        : (JSON.parse(meta.tuningSpec) as ResolvedHyperparameterSpec),
    batch: meta.batch === undefined ? undefined : (JSON.parse(meta.batch) as BatchPlan),
  };
};
