import type { StratusConfig } from '@stratus/config';
import type { WireStratusError } from '@stratus/spec';
import type { BackendInfo } from '@stratus/bundle';
import type { Severity, TrialProgress, TrialResult, TrialSpec } from '@stratus/trainer';

/**
 * The messages between the worker and its trial processes (Node's IPC
 * channel, JSON). A trial process gets its configuration here, never from its
 * environment, and holds none of the worker's secrets: no Redis URL, no token.
 * Errors cross as `@stratus/spec`'s WireStratusError (reason, context,
 * retryability, violations and cause kept).
 */

/** The part of the worker's config a trial process needs: storage and the tfjs backend. */
export type TrialProcessConfig = Pick<
  StratusConfig,
  | 'storage'
  | 'bucketsRoot'
  | 'storageEmulatorHost'
  | 'gcsProjectId'
  | 'tfjsBackend'
  | 'home'
  | 'trainerHeapMb'
  | 'trainerSandbox'
  | 'trainerLimits'
  | 'limits'
>;

/** Worker → trial process. */
export type ParentMessage =
  | { readonly type: 'init'; readonly config: TrialProcessConfig }
  | { readonly type: 'run'; readonly spec: TrialSpec }
  /** The median stopping rule fired: end training but keep the trial (and its model). */
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
  | { readonly type: 'failed'; readonly error: WireStratusError };

/** Narrow an IPC message (trusting only its `type`; both sides are this package's code). */
export const isMessage = <T extends { readonly type: string }>(value: unknown): value is T =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { type?: unknown }).type === 'string';
