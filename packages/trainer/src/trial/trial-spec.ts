import { DEFAULT_PROJECT, defaultJobDir, type TrainingInput } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import type { BackendInfo } from '@stratus/bundle';
import type { TrainerLimits } from '../custom/custom-trainer-types.js';
import type { TrainerSandbox } from '../custom/trainer-sandbox.js';
import type { DatasetCache } from '../data/dataset-cache.js';
import type { TrialReporter } from '../training/reporter.js';

/** One trial to run: the job's training input plus this trial's hyperparameters. */
export interface TrialSpec {
  /** The job's project: custom trainers' work dirs are kept apart by it. @defaultValue 'default' */
  readonly project?: string;
  readonly jobId: string;
  readonly trialId: string;
  readonly trainingInput: TrainingInput;
  /** Cloud ML's trial hyperparameters: `{"learningRate": "0.01", "hiddenUnits": "32,16"}`. */
  readonly hyperparameters: Readonly<Record<string, string>>;
  /** Whether the job tunes hyperparameters, which decides the trial's directory (docs/api.md). */
  readonly tuning: boolean;
  /** The metric whose last value is the objective. @defaultValue the algorithm's default */
  readonly hyperparameterMetricTag?: string;
  /** Which attempt of the trial this is (1 = first); each has its own work dir. @defaultValue 1 */
  readonly attempt?: number;
}

/** Where a trial runs and whom it tells. */
export interface TrialContext {
  readonly storage: Storage;
  readonly cache: DatasetCache;
  readonly reporter: TrialReporter;
  /**
   * Local scratch directory for this worker; each custom trainer attempt gets
   * `<workRoot>/<project>/<jobId>/<trialId>/<attempt>`, removed when the attempt ends.
   */
  readonly workRoot: string;
  /** The backend `selectBackend` chose; recorded in bundles and handed to custom trainers. */
  readonly backend: BackendInfo;
  /** The worker's environment; custom trainers inherit only an allowlist of it. */
  readonly parentEnv: Readonly<Record<string, string | undefined>>;
  /** Aborting stops the trial (cancel, shutdown): it rejects with TRIAL_CANCELLED. */
  readonly signal?: AbortSignal;
  /**
   * Aborting stops a built-in trial early (the stopping rule) but keeps
   * it: the model trained so far is exported and the result has `stoppedEarly`.
   * Custom trainers have no such hook; the worker aborts `signal` for them.
   */
  readonly stopSignal?: AbortSignal;
  /**
   * Parameters a built-in model may have (STRATUS_MAX_MODEL_PARAMS), checked
   * on its planned topology before tfjs builds it.
   */
  readonly maxModelParams: number;
  /**
   * Threads a built-in trial trains on (STRATUS_TRIAL_THREADS); above 1, data-parallel when
   * the backend is wasm and the training data is in memory (training/train-loop.ts).
   * @defaultValue 1
   */
  readonly trialThreads?: number;
  /** V8 heap limit of a custom trainer, in MiB (STRATUS_TRAINER_HEAP_MB). @defaultValue 4096 */
  readonly trainerHeapMb?: number;
  /** How custom trainers are confined (STRATUS_TRAINER_SANDBOX). @defaultValue 'bwrap' */
  readonly trainerSandbox?: TrainerSandbox;
  /** A sandboxed trainer's memory, disk and process limits. @defaultValue DEFAULT_TRAINER_LIMITS */
  readonly trainerLimits?: TrainerLimits;
  /**
   * How long a custom trial may run when its job sets no `scheduling.maxRunningTime`
   * (STRATUS_TRAINER_MAX_RUNNING_SECONDS). @defaultValue 86400
   */
  readonly trainerMaxRunningSeconds?: number;
  /** Module custom trainers load with `--import` to pick the worker's backend. */
  readonly preloadModule?: string;
}

export interface TrialResult {
  readonly trialId: string;
  /** The last value of `metricTag`; undefined when the trial never reported it. */
  readonly objective?: number;
  readonly metricTag: string;
  /** The step (epoch) at which `objective` was reported. */
  readonly trainingStep: number;
  /** Final values of every metric reported. */
  readonly finalMetrics: Readonly<Record<string, number>>;
  readonly modelDir: string;
  /** Epochs (built-in) the model trained in all, counting those before a resume. */
  readonly epochs: number;
  /** Epoch the trial resumed after (0 = fresh). */
  readonly resumedFromEpoch: number;
  readonly samplesPerSecond: number;
  /** True when `stopSignal` ended training before its last epoch. */
  readonly stoppedEarly?: boolean;
}

/** `{jobDir}` and `{jobDir}/model` for a single-trial job, `{jobDir}/{N}` and `{jobDir}/{N}/model` when tuning. */
export function trialPaths(
  jobDir: string,
  trialId: string,
  tuning: boolean,
): { trialDir: string; modelDir: string } {
  const base = jobDir.replace(/\/+$/, '');
  const trialDir = tuning ? `${base}/${trialId}` : base;
  return { trialDir, modelDir: `${trialDir}/model` };
}

/** The trial's job directory: the job's `jobDir`, else its project's default staging location. */
export const trialJobDir = (spec: Pick<TrialSpec, 'project' | 'jobId' | 'trainingInput'>): string =>
  spec.trainingInput.jobDir ?? defaultJobDir(spec.project ?? DEFAULT_PROJECT, spec.jobId);
