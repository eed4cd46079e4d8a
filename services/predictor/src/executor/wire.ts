import type { PredictRuntime } from '@stratus/config';
import type { WireStratusError } from '@stratus/spec';
import type { HostTensor, LoadedModel, RunnerMemory } from '@stratus/serving';

/** What the pool sends a thread. */
export type ThreadRequest =
  | {
      readonly id: number;
      readonly op: 'load';
      readonly key: string;
      readonly uri: string;
      readonly runtime: PredictRuntime;
    }
  | { readonly id: number; readonly op: 'unload'; readonly key: string }
  | {
      readonly id: number;
      readonly op: 'run';
      readonly key: string;
      readonly inputs: readonly HostTensor[];
    }
  | { readonly id: number; readonly op: 'memory' };

export type ThreadValue = LoadedModel | HostTensor[] | RunnerMemory | null;

/** What a thread answers (`ready` once its backend and storage are up); errors as `toWireError` makes them. */
export type ThreadReply =
  | { readonly id: number; readonly ok: true; readonly value: ThreadValue }
  | { readonly id: number; readonly ok: false; readonly error: WireStratusError }
  | { readonly ready: true; readonly backend: string }
  | { readonly ready: false; readonly error: WireStratusError };

/** The buffers of host tensors, to transfer rather than copy. */
export const buffersOf = (tensors: readonly HostTensor[]): ArrayBuffer[] =>
  tensors.map((tensor) => tensor.data.buffer as ArrayBuffer);
