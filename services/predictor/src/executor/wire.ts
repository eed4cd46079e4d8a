import {
  ERRORS,
  StratusError,
  coerceError,
  type ErrorCode,
  type ErrorContext,
} from '@stratus/spec';
import type { HostTensor } from '../signature.js';
import type { LoadedModel, RunnerMemory } from './model-runner.js';

/** What the pool sends a thread. */
export type ThreadRequest =
  | { readonly id: number; readonly op: 'load'; readonly key: string; readonly uri: string }
  | { readonly id: number; readonly op: 'unload'; readonly key: string }
  | {
      readonly id: number;
      readonly op: 'run';
      readonly key: string;
      readonly inputs: readonly HostTensor[];
    }
  | { readonly id: number; readonly op: 'memory' };

/** An error as it crosses threads: a StratusError keeps its reason and context. */
export interface WireError {
  readonly message: string;
  readonly reason?: ErrorCode;
  readonly context?: ErrorContext;
}

export type ThreadValue = LoadedModel | HostTensor[] | RunnerMemory | null;

/** What a thread answers (`ready` once its backend and storage are up). */
export type ThreadReply =
  | { readonly id: number; readonly ok: true; readonly value: ThreadValue }
  | { readonly id: number; readonly ok: false; readonly error: WireError }
  | { readonly ready: true; readonly backend: string }
  | { readonly ready: false; readonly error: WireError };

export const toWireError = (error: unknown): WireError =>
  error instanceof StratusError
    ? { message: error.message, reason: error.reason, context: error.context }
    : { message: coerceError(error).message };

/** The error again on the main thread: the same StratusError, or INTERNAL naming the message. */
export const fromWireError = (wire: WireError): StratusError =>
  wire.reason !== undefined && wire.reason in ERRORS
    ? new StratusError(wire.reason, wire.context ?? {})
    : new StratusError('INTERNAL', { detail: wire.message });

/** The buffers of host tensors, to transfer rather than copy. */
export const buffersOf = (tensors: readonly HostTensor[]): ArrayBuffer[] =>
  tensors.map((tensor) => tensor.data.buffer as ArrayBuffer);
