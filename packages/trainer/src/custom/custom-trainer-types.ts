import { TRAINER_DEFAULTS } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import type { BackendName } from '@stratus/bundle';
import type { TrainerSandbox } from './trainer-sandbox.js';
import type { LogLimits, LogLine, LogSummary } from './log-gate.js';
import type { ExtractLimits } from './safe-extract.js';

/** What one sandboxed trainer may use (STRATUS_TRAINER_MEMORY_MB, _DISK_MB, _MAX_PROCESSES). */
export interface TrainerLimits {
  readonly memoryMb: number;
  /** Its work dir's total, its largest file, and its staged inputs'. */
  readonly diskMb: number;
  readonly maxProcesses: number;
}

export const DEFAULT_TRAINER_LIMITS: TrainerLimits = Object.freeze({
  memoryMb: TRAINER_DEFAULTS.memoryMb,
  diskMb: TRAINER_DEFAULTS.diskMb,
  maxProcesses: TRAINER_DEFAULTS.maxProcesses,
});

/** One metric the trainer reported through hypertune. */
export interface TrainerMetric {
  readonly tag: string;
  readonly value: number;
  readonly step: number;
  /** When the trainer reported it. */
  readonly time: Date;
}

export interface CustomTrainerOptions {
  readonly storage: Storage;
  /** `gs://` tarballs (`npm pack` output): the trainer package first, then its extra dependencies. */
  readonly packageUris: readonly string[];
  /** File to run, relative to the package root. @defaultValue package.json `main`, else index.js */
  readonly module?: string;
  /** The job's `args`, passed first. */
  readonly args?: readonly string[];
  /** The trial's values; each becomes `--<name>=<value>` after the args. */
  readonly hyperparameters?: Readonly<Record<string, string | number>>;
  /** The tag whose last reported value is the trial's objective. @defaultValue 'training/hptuning/metric' */
  readonly hyperparameterMetricTag?: string;
  readonly jobId: string;
  readonly trialId: string;
  /** Passed as `--job-dir` and STRATUS_JOB_DIR. */
  readonly jobDir: string;
  /** Where the model the trainer saves in STRATUS_MODEL_DIR is uploaded after it succeeds. */
  readonly modelDir?: string;
  /** This trial's private local directory (see TrialLayout). */
  readonly workDir: string;
  /** The worker's environment; only PATH, LANG and TZ are taken from it. */
  readonly parentEnv: Readonly<Record<string, string | undefined>>;
  /** The backend the worker runs on, activated in the trainer too. @defaultValue 'cpu' */
  readonly backend?: BackendName;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL. @defaultValue DEFAULT_KILL_GRACE_MS (10000) */
  readonly killGraceMs?: number;
  /**
   * 'bwrap': the bubblewrap sandbox with Node's permission model inside (bwrap-sandbox.ts);
   * 'none': unconfined. @defaultValue 'bwrap'
   */
  readonly sandbox?: TrainerSandbox;
  /** Memory, disk and process limits. @defaultValue DEFAULT_TRAINER_LIMITS */
  readonly limits?: TrainerLimits;
  /**
   * The trial's checkpoint folder in the bucket: restored into STRATUS_CHECKPOINT_DIR before
   * the trainer starts and copied back every `checkpointSyncMs` and at the end.
   */
  readonly checkpointsUri?: string;
  /** @defaultValue 30000 */
  readonly checkpointSyncMs?: number;
  /** How often the disk quota is measured. @defaultValue 1000 */
  readonly diskPollMs?: number;
  /** V8 heap limit of the trainer, in MiB. @defaultValue TRAINER_DEFAULTS.heapMb */
  readonly maxOldSpaceSizeMb?: number;
  readonly extractLimits?: ExtractLimits;
  readonly logLimits?: LogLimits;
  /** @defaultValue 250 */
  readonly metricsPollMs?: number;
  /** Module loaded with `--import` before the trainer. @defaultValue runtime/tfjs-preload.mjs */
  readonly preloadModule?: string;
  readonly onLog?: (line: LogLine) => void;
  readonly onMetric?: (metric: TrainerMetric) => void;
}

export interface CustomTrainerResult {
  /** The last value reported for `hyperparameterMetricTag`; undefined if never reported. */
  readonly finalMetric?: { readonly tag: string; readonly value: number; readonly step: number };
  /** The last value of every tag reported. */
  readonly lastMetrics: Readonly<Record<string, { readonly value: number; readonly step: number }>>;
  readonly metricsReported: number;
  readonly log: LogSummary;
  /** Files uploaded to `modelDir`. */
  readonly modelFiles: number;
  readonly durationMs: number;
}
