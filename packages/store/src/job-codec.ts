import {
  JOB_STATES,
  type Job,
  type JobInput,
  type JobState,
  type TrainingOutput,
} from '@stratus/spec';
import { compact } from './compact.js';
import { toHyperparameterOutput, type TrialRecord } from './trial-codec.js';

/** What the caller resolved about a job that its input may leave open. */
export interface CreateJobOptions {
  /**
   * The effective tuning goal (a built-in algorithm's default when the spec
   * says GOAL_TYPE_UNSPECIFIED). Without one, a tuning job's best trial is not tracked.
   * @defaultValue the spec's goal when it is MAXIMIZE or MINIMIZE
   */
  readonly goal?: 'MAXIMIZE' | 'MINIMIZE';
  /** The effective metric tag. @defaultValue the spec's hyperparameterMetricTag */
  readonly hyperparameterMetricTag?: string;
}

/** The meta hash fields of a new job (the create script adds `score` and `rev`). */
export const encodeJobMeta = (
  input: JobInput,
  createTime: string,
  options: CreateJobOptions,
): Record<string, string | undefined> => {
  const spec = input.trainingInput.hyperparameters;
  const specGoal = spec?.goal === 'MAXIMIZE' || spec?.goal === 'MINIMIZE' ? spec.goal : undefined;
  const stored: JobInput = compact({
    jobId: input.jobId,
    labels: input.labels,
    trainingInput: input.trainingInput,
  });
  return {
    input: JSON.stringify(stored),
    state: 'QUEUED',
    createTime,
    tuning: spec === undefined ? '0' : '1',
    builtin: input.trainingInput.builtinAlgorithm === undefined ? '0' : '1',
    goal: spec === undefined ? undefined : (options.goal ?? specGoal),
    metricTag: options.hyperparameterMetricTag ?? spec?.hyperparameterMetricTag,
    completedTrialCount: '0',
  };
};

/** Parse a stored job state, refusing anything outside the spec's list. */
export const decodeJobState = (value: string | undefined): JobState => {
  const state = JOB_STATES.find((candidate) => candidate === value);
  if (state === undefined) throw new TypeError(`stored job state "${String(value)}" is unknown`);
  return state;
};

/** The Job the API returns, from its meta hash and its trials (ordered by id). */
export const decodeJob = (
  meta: Readonly<Record<string, string>>,
  trials: readonly TrialRecord[],
): Job => {
  const input = JSON.parse(meta.input ?? '{}') as JobInput;
  const tuning = meta.tuning === '1';
  const trainingOutput: TrainingOutput = compact({
    completedTrialCount: meta.completedTrialCount ?? '0',
    trials: tuning && trials.length > 0 ? trials.map(toHyperparameterOutput) : undefined,
    isHyperparameterTuningJob: tuning,
    isBuiltinAlgorithmJob: meta.builtin === '1',
    hyperparameterMetricTag: tuning ? meta.metricTag : undefined,
    bestTrialId: meta.bestTrialId,
    modelDir: meta.modelDir,
  });
  return compact<Job>({
    ...input,
    state: decodeJobState(meta.state),
    createTime: meta.createTime ?? '',
    startTime: meta.startTime,
    endTime: meta.endTime,
    errorMessage: meta.errorMessage,
    trainingOutput,
    etag: meta.rev,
  });
};
