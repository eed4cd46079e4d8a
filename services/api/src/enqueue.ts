import { StratusError, resolveHyperparameterSpec, type Job, type JobInput } from '@stratus/spec';
import {
  enqueueTrials,
  type JobStore,
  type NewTrial,
  type TrialQueues,
  type TrialRecord,
} from '@stratus/store';
import { suggestTrials, type TrialRecord as TunerTrial } from '@stratus/tuner';

/** Hyperparameter sets of the trials a new job starts with. */
export type InitialTrialPlan = readonly Readonly<Record<string, string>>[];

const HP_FIELD = 'trainingInput.hyperparameters';

const badSpec = (field: string, description: string): StratusError =>
  new StratusError(
    'INVALID_HYPERPARAMETER_SPEC',
    { detail: `${field}: ${description}` },
    { violations: [{ field, description }] },
  );

/** A stored trial as the tuner reads it (a stopped trial's last value stands in for its objective). */
const toTunerTrial = (trial: TrialRecord): TunerTrial => ({
  trialId: trial.trialId,
  hyperparameters: trial.hyperparameters,
  state: trial.state,
  ...(trial.finalMetric === undefined ? {} : { objective: trial.finalMetric.objectiveValue }),
  ...(trial.intermediate === undefined
    ? {}
    : {
        intermediate: [{ step: trial.intermediate.lastStep, value: trial.intermediate.lastValue }],
      }),
});

/** The trials of the tuning job a new job resumes; 400 when it is not one in this project. */
const resumedHistory = async (
  store: JobStore,
  project: string,
  previousJobId: string,
): Promise<TunerTrial[]> => {
  const field = `${HP_FIELD}.resumePreviousJobId`;
  const previous = await store.findJob(project, previousJobId);
  if (previous === undefined) {
    throw badSpec(field, `job "${previousJobId}" does not exist in project ${project}`);
  }
  if (previous.trainingOutput?.isHyperparameterTuningJob !== true) {
    throw badSpec(field, `job "${previousJobId}" is not a hyperparameter tuning job`);
  }
  return (await store.listTrials(project, previousJobId)).map(toTunerTrial);
};

/**
 * The first trials of a job, decided before the job is stored so a spec the
 * tuner refuses is a 400 and leaves nothing behind: one trial with no
 * hyperparameters, or a tuning job's first `min(maxParallelTrials, maxTrials)`
 * suggestions (seeded by the job's name; a resumed job's history included).
 */
export const planInitialTrials = async (
  store: JobStore,
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
 * Create and enqueue a new job's first trials: trial "1" with no
 * hyperparameters, or for a tuning job `maxParallelTrials` trials from
 * `@stratus/tuner` (the tuning controller adds the rest as trials finish).
 * Returns the trial ids enqueued.
 */
export const enqueueInitialTrials = async (
  store: JobStore,
  queues: TrialQueues,
  project: string,
  job: Job,
  plan?: InitialTrialPlan,
): Promise<string[]> => {
  const hyperparameterSets = plan ?? (await planInitialTrials(store, project, job));
  const trials: NewTrial[] = [];
  for (const hyperparameters of hyperparameterSets) {
    trials.push({ trialId: await store.nextTrialId(project, job.jobId), hyperparameters });
  }
  const created = await store.createTrials(project, job.jobId, trials);
  const trialIds = trials.filter((_, i) => created[i] === true).map((trial) => trial.trialId);
  await enqueueTrials(queues, project, job, trialIds);
  return trialIds;
};
