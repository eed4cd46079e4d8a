import type { PredictRuntime } from '@stratus/config';
import type { Storage } from '@stratus/storage';
import {
  type HostTensor,
  ModelRunner,
  type LoadedModel,
  type ModelRunnerOptions,
  type RunnerMemory,
} from '@stratus/serving';
import type { Executor } from './executor.js';

/**
 * Model calls on the event loop (`STRATUS_PREDICTOR_THREADS=0`): no copies,
 * no message passing, but HTTP waits while a batch runs.
 */
export class InlineExecutor implements Executor {
  readonly slots = 1;
  readonly copies = 1;
  readonly restarts = 0;
  private readonly runner: ModelRunner;

  constructor(storage: Storage, options: ModelRunnerOptions) {
    this.runner = new ModelRunner(storage, options);
  }

  async start(): Promise<void> {}

  load(key: string, uri: string, runtime: PredictRuntime): Promise<LoadedModel> {
    return this.runner.load(key, uri, runtime);
  }

  async unload(key: string): Promise<void> {
    this.runner.unload(key);
  }

  run(key: string, inputs: readonly HostTensor[]): Promise<HostTensor[]> {
    return this.runner.run(key, inputs);
  }

  async memory(): Promise<RunnerMemory[]> {
    return [this.runner.memory()];
  }

  async close(): Promise<void> {
    this.runner.unloadAll();
  }
}
