import {
  resolveHyperparameterSpec,
  type Job,
  type ResolvedHyperparameterSpec,
} from '@stratus/spec';
import { toTunerTrial, type StoreAreas, type TrialRecord } from '@stratus/store';
import { suggestTrials, type TrialRecord as TunerTrial } from '@stratus/tuner';

/**
 * A tuning job's study: the spec resolved once at submission, the trials it has
 * seen, and the tuner's proposals. The first batch (planned at submission) and
 * every later one (planned by the controller step) go through here, so both use
 * the same seed and the same history.
 */

/** The seed of a job's study: same spec, history and seed give the same proposals. */
export const studySeed = (project: string, jobId: string): string => `${project}/${jobId}`;

/** Resolve a job's tuning spec (defaults applied); undefined for a job without tuning. */
export const resolveTuning = (
  input: Job['trainingInput'],
): ResolvedHyperparameterSpec | undefined =>
  input?.hyperparameters === undefined
    ? undefined
    : resolveHyperparameterSpec(input.hyperparameters, input.builtinAlgorithm?.name);

/**
 * A job's tuning spec: the one stored with it at submission (`stored`, as the
 * store answers it); a job stored without one (by an earlier version of
 * Stratus) has it resolved from its input. Undefined for a job without tuning.
 */
export const tuningOf = (
  job: Job,
  stored: ResolvedHyperparameterSpec | undefined,
): ResolvedHyperparameterSpec | undefined =>
  job.trainingInput?.hyperparameters === undefined
    ? undefined
    : (stored ?? resolveTuning(job.trainingInput));

/** Every trial the study has seen: the resumed job's (if any), then the job's own. */
export const studyHistory = async (
  store: StoreAreas<'trials'>,
  project: string,
  spec: ResolvedHyperparameterSpec,
  own: readonly TrialRecord[],
): Promise<TunerTrial[]> => {
  const resumed =
    spec.resumePreviousJobId === undefined
      ? []
      : await store.trials.list(project, spec.resumePreviousJobId);
  return [...resumed, ...own].map(toTunerTrial);
};

/** The tuner's next `count` hyperparameter sets for a job's study. */
export const proposeTrials = (
  project: string,
  jobId: string,
  spec: ResolvedHyperparameterSpec,
  history: readonly TunerTrial[],
  count: number,
): Readonly<Record<string, string>>[] =>
  suggestTrials({
    spec: { ...spec, params: [...spec.params] },
    trials: history,
    count,
    seed: studySeed(project, jobId),
    goal: spec.goal,
  }).map((suggestion) => suggestion.hyperparameters);
