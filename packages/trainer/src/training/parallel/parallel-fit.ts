import { tf } from '@stratus/bundle';
import type { EpochHooks } from '../epoch-hooks.js';
import type { TensorData } from '../evaluate.js';
import { GradientThreads } from './gradient-threads.js';
import { stepModel } from './shard-gradients.js';

export interface ParallelFitOptions {
  /** Built and compiled. */
  readonly model: tf.LayersModel;
  readonly train: TensorData;
  readonly epochs: number;
  readonly initialEpoch: number;
  readonly batchSize: number;
  /** Threads in all, the main thread included (1 runs the same loop without workers). */
  readonly threads: number;
  /** The trial's seed, from which the worker threads seed their dropout masks. */
  readonly seed: number;
  readonly hooks: EpochHooks;
}

/**
 * `model.fit(xs, ys, {shuffle: true})` data-parallel on `threads` threads: the same batches in
 * the same order (the epoch's shuffle draws from the trial's seeded random exactly as `fit`
 * does), each split into contiguous shards whose gradients are summed weighted by shard size,
 * then one optimizer step. Epoch logs are batch-size-weighted means, as `fit` logs them.
 * The worker threads are terminated when it returns or throws.
 */
export async function parallelFit(options: ParallelFitOptions): Promise<void> {
  const { hooks, train, batchSize } = options;
  const step = stepModel(options.model);
  const threads = await GradientThreads.start(step, train, options.threads, options.seed);
  try {
    // fit's index array: shuffled in place every epoch.
    const order = Array.from({ length: train.count }, (_, i) => i);
    for (let epoch = options.initialEpoch; epoch < options.epochs; epoch++) {
      hooks.begin(epoch);
      tf.util.shuffle(order);
      threads.setOrder(order);
      const sums = new Array<number>(step.names.length).fill(0);
      let seen = 0;
      let stopped = false;
      for (let start = 0; start < train.count; start += batchSize) {
        const end = Math.min(train.count, start + batchSize);
        const batch = await threads.run(epoch, start, end);
        batch.forEach((value, i) => {
          sums[i] = (sums[i] as number) + value * (end - start);
        });
        seen += end - start;
        if (hooks.halted()) {
          stopped = true;
          break;
        }
      }
      const logs: tf.Logs = {};
      step.names.forEach((name, i) => {
        logs[name] = (sums[i] as number) / Math.max(1, seen);
      });
      await hooks.end(epoch, logs);
      if (stopped) break;
    }
  } finally {
    await threads.close();
  }
}
