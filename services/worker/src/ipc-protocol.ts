import type { StratusConfig } from '@stratus/config';
import type { BatchModelRef, PredictionShard, ShardCounts, WireStratusError } from '@stratus/spec';
import type { BackendInfo } from '@stratus/bundle';
import type { Severity, TrialProgress, TrialResult, TrialSpec } from '@stratus/trainer';

/**
 * The messages between the worker and its trial processes (Node's IPC
 * channel, JSON). A trial process gets its configuration here, never from its
 * environment, and holds none of the worker's secrets: no Redis URL, no token.
 * Errors cross as `@stratus/spec`'s WireStratusError (reason, context,
 * retryability, violations and cause kept).
 */

/** The config fields a trial process gets: no Redis URL, no token, no secret. */
export const TRIAL_PROCESS_CONFIG_KEYS = [
  'storage',
  'bucketsRoot',
  'storageEmulatorHost',
  'gcsProjectId',
  'tfjsBackend',
  'home',
  'trialThreads',
  'trainerHeapMb',
  'trainerSandbox',
  'trainerLimits',
  'limits',
  'predictor',
] as const satisfies readonly (keyof StratusConfig)[];

/** The part of the worker's config a trial process needs: storage, the tfjs backend, limits. */
export type TrialProcessConfig = Pick<StratusConfig, (typeof TRIAL_PROCESS_CONFIG_KEYS)[number]>;

/** Only the fields a trial process needs, so the worker's secrets never cross the IPC channel. */
export const trialProcessConfig = (config: Readonly<StratusConfig>): TrialProcessConfig =>
  Object.fromEntries(
    TRIAL_PROCESS_CONFIG_KEYS.map((key) => [key, config[key]]),
  ) as TrialProcessConfig;

/** One batch prediction shard to run: its line range, the model, the formats and where to write. */
export interface ShardSpec {
  readonly shard: PredictionShard;
  readonly model: BatchModelRef;
  readonly dataFormat: 'JSON' | 'TEXT' | 'CSV';
  readonly outputDataFormat: 'JSON' | 'CSV';
  readonly outputPath: string;
  readonly keyField: string;
  readonly batchSize: number;
  readonly signatureName?: string;
}

/** Worker → trial process. */
export type ParentMessage =
  | { readonly type: 'init'; readonly config: TrialProcessConfig }
  | { readonly type: 'run'; readonly spec: TrialSpec }
  /** Run one batch prediction shard (answered by shard-progress, then shard-result or failed). */
  | { readonly type: 'run-shard'; readonly spec: ShardSpec }
  /** The job's stopping rule (median or ASHA) fired: end training but keep the trial (and its model). */
  | { readonly type: 'stop-early'; readonly reason: string };

/** Trial process → worker. */
export type ChildMessage =
  | { readonly type: 'ready'; readonly backend: BackendInfo }
  | { readonly type: 'init-failed'; readonly error: WireStratusError }
  /** The trainer code is running (what bench/queue times from the POST). */
  | { readonly type: 'started'; readonly time: string }
  | {
      readonly type: 'log';
      readonly severity: Severity;
      readonly message: string;
      readonly time: string;
    }
  | {
      readonly type: 'metrics';
      readonly step: number;
      readonly values: Readonly<Record<string, number>>;
      readonly time: string;
    }
  | { readonly type: 'progress'; readonly progress: TrialProgress }
  | { readonly type: 'result'; readonly result: TrialResult }
  /** Rows of the running shard read so far. */
  | { readonly type: 'shard-progress'; readonly rowsDone: number }
  /** The shard's output is written. */
  | { readonly type: 'shard-result'; readonly counts: ShardCounts }
  | { readonly type: 'failed'; readonly error: WireStratusError };

/** Narrow an IPC message (trusting only its `type`; both sides are this package's code). */
export const isMessage = <T extends { readonly type: string }>(value: unknown): value is T =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { type?: unknown }).type === 'string';
