import { Worker } from 'node:worker_threads';
import { tf } from '@stratus/bundle';
import type { TensorData } from '../evaluate.js';
import type { GradientThreadData, GradientThreadMessage } from './gradient-thread.js';
import { computeShard, storeWeights, type StepModel } from './shard-gradients.js';
import {
  CONTROL,
  STEP,
  STOP,
  allocateShared,
  shardRange,
  sharedViews,
  type SharedViews,
} from './shared-training.js';

// Built code starts gradient-thread.js; from TypeScript source (tests, tsx) a bootstrap
// registers tsx in the thread first.
const SOURCE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(`./gradient-thread.${SOURCE ? 'ts' : 'js'}`, import.meta.url);
const BOOTSTRAP = new URL('./thread-bootstrap.mjs', import.meta.url);

/** ES2024's Atomics.waitAsync, which the ES2023 lib this project compiles against lacks. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** `target[k] += source[k]` for every element. */
function addInto(target: Float32Array, source: Float32Array): void {
  const n = target.length;
  for (let k = 0; k < n; k++) target[k] = (target[k] as number) + (source[k] as number);
}

const float32 = (values: ArrayLike<number>): Float32Array =>
  values instanceof Float32Array ? values : Float32Array.from(values);

/**
 * The threads of one data-parallel trial: the main thread (shard 0) and `threads - 1` worker
 * threads (gradient-thread.ts) sharing the training rows, weights and gradients. `run` trains
 * on one batch: every thread computes the gradient of its contiguous shard, scaled by the
 * shard's share of the batch; the main thread sums them and applies one optimizer step to the
 * main model, whose weights the workers load at the start of the next step.
 */
export class GradientThreads {
  private closed = false;

  private constructor(
    private readonly step: StepModel,
    private readonly views: SharedViews,
    private readonly workers: readonly Worker[],
    /** Rejects when a worker thread fails or exits. */
    private readonly failure: Promise<never>,
  ) {}

  get threads(): number {
    return this.workers.length + 1;
  }

  /** Copy the training rows into shared memory and start `threads - 1` worker threads. */
  static async start(
    step: StepModel,
    train: TensorData,
    threads: number,
    seed: number,
  ): Promise<GradientThreads> {
    const loss = step.model.loss;
    const metrics = step.model.metrics;
    const named = (value: unknown): value is string | string[] =>
      typeof value === 'string' ||
      (Array.isArray(value) && value.every((item) => typeof item === 'string'));
    if (!named(loss) || !(metrics === undefined || named(metrics))) {
      throw new Error('data-parallel training needs a loss and metrics given by name');
    }
    const shared = allocateShared({
      threads,
      params: step.offsets.at(-1) ?? 0,
      valueCount: step.names.length,
      xs: float32(await train.xs.data()),
      ys: float32(await train.ys.data()),
      rows: train.count,
      xShape: train.xs.shape.slice(1),
      yShape: train.ys.shape.slice(1),
    });
    const topology = JSON.stringify(step.model.toJSON(null, false));
    const workers: Worker[] = [];
    const ready: Array<Promise<void>> = [];
    let fail: (error: Error) => void = () => undefined;
    const failure = new Promise<never>((_, reject) => {
      fail = reject;
    });
    failure.catch(() => undefined);
    for (let index = 1; index < threads; index++) {
      const data: GradientThreadData & { entry: string } = {
        shared,
        index,
        seed,
        topology,
        loss,
        metrics: metrics === undefined ? [] : [metrics].flat(),
        entry: ENTRY.href,
      };
      const worker = SOURCE
        ? new Worker(BOOTSTRAP, { workerData: data, execArgv: ['--conditions=stratus-src'] })
        : new Worker(ENTRY, { workerData: data });
      workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const failed = (error: Error): void => {
            const wrapped = new Error(`gradient thread ${index}: ${error.message}`);
            reject(wrapped);
            fail(wrapped);
          };
          worker.on('message', (message: GradientThreadMessage) => {
            if (message.type === 'ready') resolve();
            else failed(new Error(message.message));
          });
          worker.on('error', failed);
          worker.on('exit', (code) => failed(new Error(`exited with code ${code}`)));
        }),
      );
    }
    const pool = new GradientThreads(step, sharedViews(shared), workers, failure);
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** The epoch's shuffled row order, before its first step. */
  setOrder(order: readonly number[]): void {
    this.views.order.set(order);
  }

  /**
   * Train on rows `order[start..end)`: one optimizer step on the main model. Returns the
   * batch's `[loss, ...metrics]` as `fit` logs them (means over the batch).
   */
  async run(epoch: number, start: number, end: number): Promise<number[]> {
    const { control, gradients, values } = this.views;
    if (this.workers.length > 0) storeWeights(this.step, this.views.weights);
    Atomics.store(control, CONTROL.epoch, epoch);
    Atomics.store(control, CONTROL.batchStart, start);
    Atomics.store(control, CONTROL.batchEnd, end);
    Atomics.store(control, CONTROL.done, 0);
    Atomics.store(control, CONTROL.command, STEP);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    computeShard(this.step, this.views, 0);
    await this.workersDone();

    // Each thread's gradient is already scaled by its shard's share: the batch's is their sum,
    // added into the main thread's own slot.
    const sum = gradients[0] as Float32Array;
    const batch = new Array<number>(this.step.names.length).fill(0);
    for (let index = 0; index < this.threads; index++) {
      const { from, to } = shardRange(start, end, this.threads, index);
      const share = (to - from) / (end - start);
      if (index > 0 && share > 0) addInto(sum, gradients[index] as Float32Array);
      (values[index] as Float64Array).forEach((value, i) => {
        batch[i] = (batch[i] as number) + value * share;
      });
    }
    this.apply(sum);
    return batch;
  }

  /** Stop and terminate the worker threads; safe to call more than once. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const { control } = this.views;
    Atomics.store(control, CONTROL.command, STOP);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private async workersDone(): Promise<void> {
    const { control } = this.views;
    for (;;) {
      const done = Atomics.load(control, CONTROL.done);
      if (done >= this.workers.length) break;
      const wait = waitAsync(control, CONTROL.done, done);
      if (wait.async) await Promise.race([wait.value, this.failure]);
    }
    // A worker that failed posts why before it counts itself done; wait for the message.
    if (Atomics.load(control, CONTROL.failed) !== 0) await this.failure;
  }

  /** One optimizer step with the summed gradient, as `fit`'s `optimizer.minimize` takes it. */
  private apply(sum: Float32Array): void {
    const { variables, offsets } = this.step;
    const named = variables.map((variable, i) => {
      const from = offsets[i] as number;
      const values = sum.subarray(from, from + variable.size);
      return { name: variable.name, tensor: tf.tensor(values, variable.shape, 'float32') };
    });
    try {
      this.step.model.optimizer.applyGradients(named);
    } finally {
      tf.dispose(named.map(({ tensor }) => tensor));
    }
  }
}
