import type { tf } from '@stratus/bundle';
import type { EpochHistory } from './checkpoint.js';
import { evaluate, type Task } from './evaluate.js';
import type { TrainLoopOptions } from './train-loop.js';

/**
 * What happens around every epoch of a trial, whichever loop trains it (`model.fit` on one
 * thread, parallel/parallel-fit.ts on several): reseed at the start; after the last batch,
 * training metrics, validation, history, reporter and checkpoint.
 */
export interface EpochHooks {
  /** Before the epoch's shuffle: reseeds the trial's random stream for the epoch. */
  begin(epoch: number): void;
  /** True once `signal` or `stopSignal` has fired: stop after the current batch. */
  halted(): boolean;
  /** After the epoch's last batch, with the epoch's training logs as tfjs names them. */
  end(epoch: number, logs: tf.Logs): Promise<void>;
  /** Milliseconds and samples of the epochs reported so far. */
  readonly totals: { trainedMs: number; trainedSamples: number };
}

/** The epoch hooks of one trainLoop run, appending to `history`. */
export function epochHooks(options: TrainLoopOptions, history: EpochHistory): EpochHooks {
  const { model, reporter, task } = options;
  const every = Math.max(1, options.checkpointEveryEpochs ?? 1);
  const totals = { trainedMs: 0, trainedSamples: 0 };
  let epochStart = 0;
  const halted = (): boolean =>
    options.signal?.aborted === true || options.stopSignal?.aborted === true;
  return {
    totals,
    halted,
    begin: (epoch) => {
      options.random.reseed(epoch + 1);
      epochStart = performance.now();
    },
    end: async (epoch, logs) => {
      const elapsed = performance.now() - epochStart;
      // An epoch cut short by a stop is not reported: its metrics would be partial.
      if (halted()) return;
      totals.trainedMs += elapsed;
      totals.trainedSamples += options.train.count;
      const metrics = trainingMetrics(logs, task);
      if (options.validation !== undefined) {
        const validation = await evaluate(model, options.validation, task);
        for (const [name, value] of Object.entries(validation)) metrics[`val_${name}`] = value;
      }
      const done = epoch + 1;
      history.push({ epoch: done, metrics });
      reporter.metrics(done, metrics);
      const samplesPerSecond = options.train.count / Math.max(elapsed / 1000, 1e-9);
      reporter.progress({
        epoch: done,
        totalEpochs: options.epochs,
        samplesPerSecond,
        trainSamples: options.train.count,
      });
      if (options.checkpoints !== undefined && (done % every === 0 || done === options.epochs)) {
        await options.checkpoints.save(model, { epoch: done, history });
      }
    },
  };
}

/** tfjs log names (`acc`, `mse` on standardised targets) → Stratus metric names. */
function trainingMetrics(logs: tf.Logs, task: Task): Record<string, number> {
  const metrics: Record<string, number> = {};
  if (logs.loss !== undefined) metrics.loss = logs.loss;
  if (task.kind === 'classification') {
    const accuracy = logs.acc ?? logs.accuracy;
    if (accuracy !== undefined) metrics.accuracy = accuracy;
  } else {
    if (logs.mae !== undefined) metrics.mae = logs.mae * task.std;
    if (logs.mse !== undefined) metrics.rmse = Math.sqrt(logs.mse) * task.std;
  }
  return metrics;
}
