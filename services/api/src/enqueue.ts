import {
  fieldError,
  jobUriUses,
  resolveHyperparameterSpec,
  type Job,
  type JobInput,
  type StratusError,
} from '@stratus/spec';
import type { Logger } from 'pino';
import {
  enqueueTrials,
  toTunerTrial,
  type CreateJobOptions,
  type StoreAreas,
  type TrialQueues,
} from '@stratus/store';
import { suggestTrials, type TrialRecord as TunerTrial } from '@stratus/tuner';
import { withBucketAccess } from './bucket-access.js';

/** The tuning goal and metric tag the store keeps for a job (built-in defaults applied). */
const createJobOptions = (input: JobInput): CreateJobOptions => {
  const spec = input.trainingInput.hyperparameters;
  if (spec === undefined) return {};
  const resolved = resolveHyperparameterSpec(spec, input.trainingInput.builtinAlgorithm?.name);
  return { goal: resolved.goal, hyperparameterMetricTag: resolved.hyperparameterMetricTag };
};

/** Hyperparameter sets of the trials a new job starts with. */
export type InitialTrialPlan = readonly Readonly<Record<string, string>>[];

const HP_FIELD = 'trainingInput.hyperparameters';

const badSpec = (field: string, description: string): StratusError =>
  fieldError('INVALID_HYPERPARAMETER_SPEC', field, description);

/** The trials of the tuning job a new job resumes; 400 when it is not one in this project. */
const resumedHistory = async (
  store: StoreAreas<'buckets' | 'jobs' | 'trials'>,
  project: string,
  previousJobId: string,
): Promise<TunerTrial[]> => {
  const field = `${HP_FIELD}.resumePreviousJobId`;
  const previous = await store.jobs.find(project, previousJobId);
  if (previous === undefined) {
    throw badSpec(field, `job "${previousJobId}" does not exist in project ${project}`);
  }
  if (previous.trainingOutput?.isHyperparameterTuningJob !== true) {
    throw badSpec(field, `job "${previousJobId}" is not a hyperparameter tuning job`);
  }
  return (await store.trials.list(project, previousJobId)).map(toTunerTrial);
};

/**
 * The first trials of a job, decided before the job is stored so a spec the
 * tuner refuses is a 400 and leaves nothing behind: one trial with no
 * hyperparameters, or a tuning job's first `min(maxParallelTrials, maxTrials)`
 * suggestions (seeded by the job's name; a resumed job's history included).
 */
export const planInitialTrials = async (
  store: StoreAreas<'buckets' | 'jobs' | 'trials'>,
  project: string,
  input: JobInput,
): Promise<InitialTrialPlan> => {
  const spec = input.trainingInput.hyperparameters;
  if (spec === undefined) return [{}];
  const resolved = resolveHyperparameterSpec(spec, input.trainingInput.builtinAlgorithm?.name);
  const history =
    resolved.resumePreviousJobId === undefined
      ? []
      : await resumedHistory(store, project, resolved.resumePreviousJobId);
  const suggestions = suggestTrials({
    spec,
    trials: history,
    count: Math.min(resolved.maxParallelTrials, resolved.maxTrials),
    seed: `${project}/${input.jobId}`,
    goal: resolved.goal,
  });
  if (suggestions.length === 0) {
    throw badSpec(HP_FIELD, 'every point of the search space has already been tried');
  }
  return suggestions.map((suggestion) => suggestion.hyperparameters);
};

/**
 * Submit a new job: plan its first trials (a 400 for a spec the tuner
 * refuses, before anything is stored), authorize every bucket URI it names
 * (a 403 naming the field, before anything is stored), store the job with
 * those trials in one step — a 429 QUOTA_EXCEEDED, storing nothing, when the
 * project already has `maxLiveJobs` live jobs — and enqueue them. When
 * enqueueing fails the job is marked FAILED (so it does not sit QUEUED
 * forever) and the error is rethrown.
 */
export const submitJob = async (
  store: StoreAreas<'buckets' | 'jobs' | 'trials'>,
  queues: TrialQueues,
  project: string,
  input: JobInput,
  log: Pick<Logger, 'error' | 'warn'>,
  maxLiveJobs?: number,
): Promise<{ job: Job; trialIds: string[] }> => {
  const plan = await planInitialTrials(store, project, input);
  const job = await withBucketAccess(store, project, jobUriUses(input.trainingInput), log, () =>
    store.jobs.create(project, input, {
      ...createJobOptions(input),
      trials: plan,
      ...(maxLiveJobs === undefined ? {} : { maxLiveJobs }),
    }),
  );
  const trialIds = plan.map((_, i) => String(i + 1));
  try {
    await enqueueTrials(queues, project, job, trialIds);
  } catch (error) {
    await store.jobs
      .transition(project, job.jobId, {
        from: ['QUEUED'],
        to: 'FAILED',
        patch: { errorMessage: 'Stratus could not enqueue the job; submit it again' },
      })
      .catch((err: unknown) => log.error({ err }, 'could not fail the job'));
    throw error;
  }
  return { job, trialIds };
};
