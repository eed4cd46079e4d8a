import {
  DEFAULT_PYTHON_VERSION,
  DEFAULT_RUNTIME_VERSION,
  JOB_STATES,
  TERMINAL_JOB_STATES,
  consumedMLUnits,
  type BuiltInAlgorithmOutput,
  type Job,
  type JobInput,
  type JobState,
  type BatchPlan,
  type ResolvedHyperparameterSpec,
  type TrainingInput,
  type TrainingOutput,
} from '@stratus/spec';
import { predictionOutput } from './prediction-output.js';
import { compact } from './compact.js';
import { etagOf } from './etag.js';
import { toHyperparameterOutput, type TrialRecord } from './trial-codec.js';

/** What the caller resolved about a job that its input may leave open. */
export interface CreateJobOptions {
  /**
   * A tuning job's spec with every default applied (goal, metric tag, trial
   * counts), resolved once at submission and stored with the job. Without it
   * the spec's explicit goal and metric tag are kept, and a tuning job whose
   * goal is GOAL_TYPE_UNSPECIFIED has no best trial tracked.
   */
  readonly tuning?: ResolvedHyperparameterSpec;
  /**
   * Hyperparameters of the trials created with the job, QUEUED and numbered
   * "1", "2", … (one `{}` for a job without tuning). @defaultValue none
   */
  readonly trials?: readonly Readonly<Record<string, string>>[];
  /**
   * Live jobs (QUEUED, PREPARING, RUNNING, CANCELLING) the project may hold;
   * at it, QUOTA_EXCEEDED (429) and nothing is stored. @defaultValue no limit
   */
  readonly maxLiveJobs?: number;
  /** A batch prediction job's plan (model, shards); its trials are its shards. */
  readonly batch?: BatchPlan;
}

/** What the meta hash keeps of a job's create request. */
export const storedInput = (input: JobInput): JobInput =>
  compact({
    jobId: input.jobId,
    labels: input.labels,
    trainingInput: input.trainingInput,
    predictionInput: input.predictionInput,
  });

/** The meta hash fields of a new job (the create script adds `score` and `rev`). */
export const encodeJobMeta = (
  input: JobInput,
  createTime: string,
  options: CreateJobOptions,
): Record<string, string | undefined> => {
  const spec = input.trainingInput?.hyperparameters;
  const specGoal = spec?.goal === 'MAXIMIZE' || spec?.goal === 'MINIMIZE' ? spec.goal : undefined;
  return {
    input: JSON.stringify(storedInput(input)),
    state: 'QUEUED',
    createTime,
    tuning: spec === undefined ? '0' : '1',
    builtin: input.trainingInput?.builtinAlgorithm === undefined ? '0' : '1',
    goal: spec === undefined ? undefined : (options.tuning?.goal ?? specGoal),
    metricTag: options.tuning?.hyperparameterMetricTag ?? spec?.hyperparameterMetricTag,
    tuningSpec:
      spec === undefined || options.tuning === undefined
        ? undefined
        : JSON.stringify(options.tuning),
    completedTrialCount: '0',
    batch: options.batch === undefined ? undefined : JSON.stringify(options.batch),
  };
};

/** Parse a stored job state, refusing anything outside the spec's list. */
export const decodeJobState = (value: string | undefined): JobState => {
  const state = JOB_STATES.find((candidate) => candidate === value);
  if (state === undefined) throw new TypeError(`stored job state "${String(value)}" is unknown`);
  return state;
};

/**
 * A finished tuning job's trials best first, as Cloud ML lists them: the
 * job's best trial, then those with an objective ordered by the goal (ties:
 * the earlier finished first, as the best trial is the first to reach its
 * value), then the rest by trial number.
 */
export const sortTrialsBestFirst = (
  trials: readonly TrialRecord[],
  goal: string | undefined,
  bestTrialId?: string,
): TrialRecord[] => {
  const sign = goal === 'MINIMIZE' ? 1 : goal === 'MAXIMIZE' ? -1 : 0;
  const objective = (trial: TrialRecord): number | undefined =>
    trial.state === 'SUCCEEDED' || trial.state === 'STOPPED'
      ? trial.finalMetric?.objectiveValue
      : undefined;
  return [...trials].sort((a, b) => {
    if ((a.trialId === bestTrialId) !== (b.trialId === bestTrialId)) {
      return a.trialId === bestTrialId ? -1 : 1;
    }
    const [va, vb] = [objective(a), objective(b)];
    if (va !== undefined && vb !== undefined && va !== vb) return sign * (va - vb);
    if ((va === undefined) !== (vb === undefined)) return va === undefined ? 1 : -1;
    const ended = (a.endTime ?? '').localeCompare(b.endTime ?? '');
    return va !== undefined && ended !== 0 ? ended : Number(a.trialId) - Number(b.trialId);
  });
};

/** A built-in job's `builtInAlgorithmOutput`, once its (best trial's) model is exported. */
const builtInAlgorithmOutput = (
  input: TrainingInput,
  modelPath: string | undefined,
): BuiltInAlgorithmOutput | undefined =>
  input.builtinAlgorithm === undefined || modelPath === undefined
    ? undefined
    : {
        framework: 'TENSORFLOW',
        runtimeVersion: input.runtimeVersion ?? DEFAULT_RUNTIME_VERSION,
        pythonVersion: input.pythonVersion ?? DEFAULT_PYTHON_VERSION,
        modelPath,
      };

/**
 * A training job's `trainingOutput` as Cloud ML fills it (completedTrialCount
 * and trials for tuning jobs only); once the job has ended its trials are
 * listed best first.
 */
const trainingOutput = (
  meta: Readonly<Record<string, string>>,
  input: TrainingInput,
  state: JobState,
  trials: readonly TrialRecord[],
): TrainingOutput => {
  const tuning = meta.tuning === '1';
  const listed = TERMINAL_JOB_STATES.includes(state)
    ? sortTrialsBestFirst(trials, meta.goal, meta.bestTrialId)
    : trials;
  return compact({
    completedTrialCount: tuning ? (meta.completedTrialCount ?? '0') : undefined,
    trials: tuning && listed.length > 0 ? listed.map(toHyperparameterOutput) : undefined,
    consumedMLUnits: consumedMLUnits(input, trials),
    isHyperparameterTuningJob: tuning,
    isBuiltInAlgorithmJob: meta.builtin === '1',
    builtInAlgorithmOutput: builtInAlgorithmOutput(input, meta.modelDir),
    hyperparameterMetricTag: tuning ? meta.metricTag : undefined,
    bestTrialId: meta.bestTrialId,
    modelDir: meta.modelDir,
  });
};

/**
 * The Job the API returns, from its meta hash and its trials (ordered by id);
 * once the job has ended its trials are listed best first.
 */
export const decodeJob = (
  meta: Readonly<Record<string, string>>,
  trials: readonly TrialRecord[],
  /** The stored input already parsed (a job just created), else `meta.input` is. */
  parsedInput?: JobInput,
): Job => {
  const input = parsedInput ?? (JSON.parse(meta.input ?? '{}') as JobInput);
  const state = decodeJobState(meta.state);
  return compact<Job>({
    ...input,
    state,
    createTime: meta.createTime ?? '',
    startTime: meta.startTime,
    endTime: meta.endTime,
    errorMessage: meta.errorMessage,
    ...(input.predictionInput === undefined
      ? { trainingOutput: trainingOutput(meta, input.trainingInput ?? {}, state, trials) }
      : { predictionOutput: predictionOutput(input.predictionInput, meta, trials) }),
    etag: etagOf(meta.rev),
  });
};
