import {
  fieldError,
  jobUriUses,
  type Job,
  type JobInput,
  type Logger,
  type ResolvedHyperparameterSpec,
  type TrainingInput,
  withJobDir,
} from '@stratus/spec';
import type { StoreAreas, TrialQueues } from '@stratus/store';
import { enqueueNewJob } from './enqueue-new-job.js';
import { proposeTrials, resolveTuning, studyHistory } from './study.js';

/** What a new job starts with: its resolved tuning spec and its first trials' hyperparameters. */
export interface InitialTrialPlan {
  readonly tuning: ResolvedHyperparameterSpec | undefined;
  readonly trials: readonly Readonly<Record<string, string>>[];
}

const HP_FIELD = 'trainingInput.hyperparameters';

/** A training job's input; a 400 for a job input without one (validation has already said so). */
const trainingOf = (input: JobInput): TrainingInput => {
  if (input.trainingInput === undefined) {
    throw fieldError('INVALID_JOB_SPEC', 'trainingInput', 'is required for a training job');
  }
  return input.trainingInput;
};

/** 400 unless the job a new one resumes exists in the project and is a tuning job. */
const checkResumable = async (
  store: StoreAreas<'jobs'>,
  project: string,
  previousJobId: string,
): Promise<void> => {
  const field = `${HP_FIELD}.resumePreviousJobId`;
  const previous = await store.jobs.find(project, previousJobId);
  if (previous === undefined) {
    throw fieldError(
      'INVALID_HYPERPARAMETER_SPEC',
      field,
      `job "${previousJobId}" does not exist in project ${project}`,
    );
  }
  if (previous.trainingOutput?.isHyperparameterTuningJob !== true) {
    throw fieldError(
      'INVALID_HYPERPARAMETER_SPEC',
      field,
      `job "${previousJobId}" is not a hyperparameter tuning job`,
    );
  }
};

/**
 * The first trials of a job, decided before the job is stored so a spec the
 * tuner refuses is a 400 and leaves nothing behind: one trial with no
 * hyperparameters, or a tuning job's first `min(maxParallelTrials, maxTrials)`
 * proposals (a resumed job's history included).
 */
export const planInitialTrials = async (
  store: StoreAreas<'jobs' | 'trials'>,
  project: string,
  input: JobInput,
): Promise<InitialTrialPlan> => {
  const spec = resolveTuning(trainingOf(input));
  if (spec === undefined) return { tuning: undefined, trials: [{}] };
  if (spec.resumePreviousJobId !== undefined) {
    await checkResumable(store, project, spec.resumePreviousJobId);
  }
  const history = await studyHistory(store, project, spec, []);
  const count = Math.min(spec.maxParallelTrials, spec.maxTrials);
  const trials = proposeTrials(project, input.jobId, spec, history, count);
  if (trials.length === 0) {
    throw fieldError(
      'INVALID_HYPERPARAMETER_SPEC',
      HP_FIELD,
      'every point of the search space has already been tried',
    );
  }
  return { tuning: spec, trials };
};

/**
 * Submit a new job: fill in its default `jobDir` (the project's staging
 * location, `defaultJobDir`) when it names none, plan its first trials (a 400 for a spec the tuner
 * refuses, before anything is stored), authorize every bucket URI it names
 * (a 403 naming the field, before anything is stored), store the job — with
 * its resolved tuning spec and those trials, in one step; a 429
 * QUOTA_EXCEEDED, storing nothing, when the project already has `maxLiveJobs`
 * live jobs — and enqueue them. When enqueueing fails the job is marked FAILED
 * (so it does not sit QUEUED forever) and the error is rethrown.
 */
export const submitJob = async (
  store: StoreAreas<'buckets' | 'jobs' | 'trials'>,
  queues: TrialQueues,
  project: string,
  submitted: JobInput,
  log: Pick<Logger, 'error' | 'warn'>,
  maxLiveJobs?: number,
): Promise<{ job: Job; trialIds: string[] }> => {
  const input: JobInput = {
    ...submitted,
    trainingInput: withJobDir(trainingOf(submitted), project, submitted.jobId),
  };
  const { tuning, trials } = await planInitialTrials(store, project, input);
  const job = await store.buckets.withAccess(project, jobUriUses(trainingOf(input)), log, () =>
    store.jobs.create(project, input, {
      ...(tuning === undefined ? {} : { tuning }),
      trials,
      ...(maxLiveJobs === undefined ? {} : { maxLiveJobs }),
    }),
  );
  const trialIds = trials.map((_, i) => String(i + 1));
  await enqueueNewJob(store, queues, project, job, trialIds, log);
  return { job, trialIds };
};
