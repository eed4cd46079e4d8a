import {
  JOB_STATES,
  StratusError,
  canTransition,
  type Job,
  type JobInput,
  type JobState,
} from '@stratus/spec';
import { compact } from './compact.js';
import { etagOf } from './etag.js';
import { jobName, type StoreContext } from './context.js';
import { decodeJob, encodeJobMeta, storedInput, type CreateJobOptions } from './job-codec.js';
import {
  createJobArgs,
  decodeCreateJobReply,
  decodeTransitionJobReply,
  transitionJobArgs,
} from './commands/job.js';
import { asHash, asStrings, execPipeline, fieldArgs } from './redis-util.js';
import { decodeTrial, type TrialRecord } from './trial-codec.js';

/** A compare-and-set state change: applies only while the job is in one of `from`. */
export interface TransitionRequest {
  readonly from: readonly JobState[];
  readonly to: JobState;
  /** Fields set in the same step. */
  readonly patch?: { readonly errorMessage?: string };
}

/** Outcome of {@link transitionJob}: `ok: false` means another caller moved the job first. */
export type TransitionResult =
  | { readonly ok: true; readonly from: JobState; readonly to: JobState; readonly etag: string }
  | { readonly ok: false; readonly state: JobState };

const notFound = (project: string, jobId: string): StratusError =>
  new StratusError('JOB_NOT_FOUND', { name: jobName(project, jobId) });

const illegal = (name: string, from: string, to: JobState): StratusError =>
  new StratusError('INVALID_STATE_TRANSITION', { kind: 'job', name, from, to });

/**
 * Store a new QUEUED job, with its first trials when `options.trials` lists
 * them (numbered "1".."N"), in one script and one round trip;
 * JOB_ALREADY_EXISTS (409) if its id is taken in the project.
 */
export const createJob = async (
  ctx: StoreContext,
  project: string,
  input: JobInput,
  options: CreateJobOptions = {},
): Promise<Job> => {
  const { keys } = ctx;
  const jobKeys = keys.job(project, input.jobId);
  const projectKeys = keys.project(project);
  const now = ctx.now();
  const createTime = now.toISOString();
  const fields = encodeJobMeta(input, createTime, options);
  const labelKeys = Object.entries(input.labels ?? {}).map(([key, value]) =>
    projectKeys.jobsWithLabel(key, value),
  );
  const trials = options.trials ?? [];
  const trialIds = trials.map((_, i) => String(i + 1));
  const quota = options.maxLiveJobs ?? 0;
  // Sent back to back: one round trip, without building a pipeline (the projects
  // set lives in another cluster slot, so it cannot join the script).
  const [created] = await Promise.all([
    ctx.redis.stratusCreateJob(
      createJobArgs({
        keys: {
          meta: jobKeys.meta,
          projectJobs: projectKeys.jobs,
          jobScore: projectKeys.jobScore,
          queued: projectKeys.jobsInState('QUEUED'),
          trials: jobKeys.trials,
          trialSeq: jobKeys.trialSeq,
          preparing: projectKeys.jobsInState('PREPARING'),
          running: projectKeys.jobsInState('RUNNING'),
          cancelling: projectKeys.jobsInState('CANCELLING'),
        },
        labelIndexes: labelKeys,
        trials: trials.map((hyperparameters, i) => ({
          key: jobKeys.trial(String(i + 1)),
          hyperparameters: JSON.stringify(hyperparameters),
        })),
        args: { jobId: input.jobId, createTimeMs: now.getTime(), createTime, quota },
        fields: fieldArgs(fields),
      }),
    ),
    ctx.redis.sadd(keys.projects, project),
  ]);
  const reply = decodeCreateJobReply(created);
  if (reply.outcome === 'EXISTS') {
    throw new StratusError('JOB_ALREADY_EXISTS', { name: jobName(project, input.jobId) });
  }
  if (reply.outcome === 'QUOTA') {
    throw new StratusError('QUOTA_EXCEEDED', {
      detail: `project ${project} has ${reply.live} live jobs (queued, preparing, running or cancelling), the limit of ${quota} (STRATUS_MAX_QUEUED_JOBS_PER_PROJECT); submit again when one ends`,
    });
  }
  const meta: Record<string, string> = {
    ...(compact(fields) as Record<string, string>),
    rev: String(1 + trials.length),
  };
  const records: TrialRecord[] = trialIds.map((trialId, i) => ({
    trialId,
    hyperparameters: { ...trials[i] },
    state: 'QUEUED',
    attempts: 0,
    createTime,
  }));
  return decodeJob(meta, records, storedInput(input));
};

/** Trial records by (jobId, trialId) in one pipeline; undefined where a trial is missing. */
const readTrialRecords = async (
  ctx: StoreContext,
  project: string,
  refs: readonly (readonly [jobId: string, trialId: string])[],
): Promise<(TrialRecord | undefined)[]> => {
  if (refs.length === 0) return [];
  const pipeline = ctx.redis.pipeline();
  for (const [jobId, trialId] of refs)
    pipeline.hgetall(ctx.keys.job(project, jobId).trial(trialId));
  return (await execPipeline(pipeline)).map((hash) => decodeTrial(asHash(hash)));
};

/**
 * Jobs by id in the given order (missing ones skipped), in a fixed number of
 * round trips whatever their count: metas + trial ids, then all trials.
 */
export const readJobs = async (
  ctx: StoreContext,
  project: string,
  jobIds: readonly string[],
): Promise<Job[]> => {
  if (jobIds.length === 0) return [];
  const pipeline = ctx.redis.pipeline();
  for (const jobId of jobIds) {
    const jobKeys = ctx.keys.job(project, jobId);
    pipeline.hgetall(jobKeys.meta).zrange(jobKeys.trials, 0, -1);
  }
  const replies = await execPipeline(pipeline);
  const found = jobIds.flatMap((jobId, i) => {
    const meta = asHash(replies[2 * i]);
    return meta.state === undefined
      ? []
      : [{ jobId, meta, trialIds: asStrings(replies[2 * i + 1]) }];
  });
  const refs = found.flatMap((job) => job.trialIds.map((trialId) => [job.jobId, trialId] as const));
  const records = await readTrialRecords(ctx, project, refs);
  const trialsByJob = new Map<string, TrialRecord[]>();
  refs.forEach(([jobId], i) => {
    const record = records[i];
    if (record === undefined) return;
    const trials = trialsByJob.get(jobId) ?? [];
    trials.push(record);
    trialsByJob.set(jobId, trials);
  });
  return found.map((job) => decodeJob(job.meta, trialsByJob.get(job.jobId) ?? []));
};

/** The job, or undefined when the project has no such job. */
export const findJob = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
): Promise<Job | undefined> => (await readJobs(ctx, project, [jobId]))[0];

/** The job; JOB_NOT_FOUND (404) when the project has no such job. */
export const getJob = async (ctx: StoreContext, project: string, jobId: string): Promise<Job> => {
  const job = await findJob(ctx, project, jobId);
  if (job === undefined) throw notFound(project, jobId);
  return job;
};

/** Every trial of a job, ordered by trial number. */
export const listTrials = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
): Promise<TrialRecord[]> => {
  const ids = await ctx.redis.zrange(ctx.keys.job(project, jobId).trials, 0, -1);
  const records = await readTrialRecords(
    ctx,
    project,
    ids.map((trialId) => [jobId, trialId] as const),
  );
  return records.flatMap((record) => record ?? []);
};

/**
 * Move a job to `to` if it is still in one of `from`, in one round trip.
 * Throws INVALID_STATE_TRANSITION when some `from → to` is not an edge of the
 * state graph (a finished job has none), JOB_NOT_FOUND when it is missing.
 */
export const transitionJob = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  request: TransitionRequest,
): Promise<TransitionResult> => {
  const name = jobName(project, jobId);
  const bad =
    request.from.length === 0
      ? 'nothing'
      : request.from.find((f) => !JOB_STATES.includes(f) || !canTransition(f, request.to));
  if (bad !== undefined) throw illegal(name, bad, request.to);
  const jobKeys = ctx.keys.job(project, jobId);
  const projectKeys = ctx.keys.project(project);
  const { limits } = ctx;
  const raw = await ctx.redis.stratusTransitionJob(
    transitionJobArgs({
      keys: { meta: jobKeys.meta, logs: jobKeys.logs, metrics: jobKeys.metrics },
      stateIndexes: Object.fromEntries(
        JOB_STATES.map((state) => [state, projectKeys.jobsInState(state)]),
      ) as Record<JobState, string>,
      args: {
        to: request.to,
        now: ctx.now().toISOString(),
        from: request.from,
        project,
        jobId,
        maxLogs: limits.maxLogEntries,
        maxMetrics: limits.maxMetricPoints,
        channel: ctx.keys.channel('job-state'),
      },
      fields: fieldArgs({ errorMessage: request.patch?.errorMessage }),
    }),
  );
  const reply = decodeTransitionJobReply(raw);
  switch (reply.outcome) {
    case 'NOT_FOUND':
      throw notFound(project, jobId);
    // The script checks the same graph as above; it refuses an edge itself, should they differ.
    case 'ILLEGAL':
      throw illegal(name, reply.state, request.to);
    case 'OK':
      return { ok: true, from: reply.from, to: request.to, etag: etagOf(reply.rev) ?? '' };
    default:
      return { ok: false, state: reply.state };
  }
};

/** How many jobs of the project are in each state (for /metrics), in one round trip. */
export const countJobsByState = async (
  ctx: StoreContext,
  project: string,
): Promise<Record<JobState, number>> => {
  const projectKeys = ctx.keys.project(project);
  const pipeline = ctx.redis.pipeline();
  for (const state of JOB_STATES) pipeline.zcard(projectKeys.jobsInState(state));
  const counts = await execPipeline(pipeline);
  return Object.fromEntries(JOB_STATES.map((state, i) => [state, Number(counts[i])])) as Record<
    JobState,
    number
  >;
};

/** Projects that have ever had a job. */
export const listProjects = async (ctx: StoreContext): Promise<string[]> =>
  (await ctx.redis.smembers(ctx.keys.projects)).sort();
