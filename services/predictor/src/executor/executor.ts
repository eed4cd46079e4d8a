import type { PredictRuntime } from '@stratus/config';
import type { HostTensor, LoadedModel, RunnerMemory } from '@stratus/serving';

/**
 * Where model calls run: on the event loop (`InlineExecutor`) or on a pool
 * of worker threads (`ThreadPoolExecutor`), each holding a copy of every
 * loaded model so any free thread can take any version's next batch.
 */
export interface Executor {
  /** Model calls that may run at once (one per thread). */
  readonly slots: number;
  /** Copies of each loaded model (what the memory budget counts). */
  readonly copies: number;
  /** Threads replaced after one died (0 for the inline executor). */
  readonly restarts: number;
  start(): Promise<void>;
  /**
   * Load and warm `uri` under `key` everywhere on `runtime` (`ModelRunner.load`); any
   * failure unloads it everywhere and throws.
   */
  load(key: string, uri: string, runtime: PredictRuntime): Promise<LoadedModel>;
  unload(key: string): Promise<void>;
  /** Run one batch on a free slot (the caller keeps at most `slots` calls in flight). */
  run(key: string, inputs: readonly HostTensor[]): Promise<HostTensor[]>;
  /** tfjs memory and ONNX sessions of every runner. */
  memory(): Promise<RunnerMemory[]>;
  close(): Promise<void>;
}
