import type { tf } from '@stratus/bundle';
import { StratusError } from '@stratus/spec';
import type { CheckpointStore, EpochHistory } from './checkpoint.js';
import { evaluate, type ExampleData, type Task } from './evaluate.js';
import type { TrialReporter } from './reporter.js';
import type { SeededRandomScope } from './seeded-random.js';

export interface TrainLoopOptions {
  readonly trialId: string;
  /** Built and compiled. */
  readonly model: tf.LayersModel;
  readonly train: ExampleData;
  readonly validation?: ExampleData;
  readonly task: Task;
  readonly epochs: number;
  readonly batchSize: number;
  readonly random: SeededRandomScope;
  readonly reporter: TrialReporter;
  readonly checkpoints?: CheckpointStore;
  /** @defaultValue 1 */
  readonly checkpointEveryEpochs?: number;
  /** Aborting stops training after the current batch and rejects with TRIAL_CANCELLED. */
  readonly signal?: AbortSignal;
  /**
   * Aborting ends training early (the median stopping rule) after the current
   * batch, and the loop returns normally with `stoppedEarly`, so the caller
   * still exports the model.
   */
  readonly stopSignal?: AbortSignal;
}

export interface TrainLoopResult {
  readonly epochs: number;
  /** 0 for a fresh start, else the checkpoint epoch training resumed after. */
  readonly resumedFromEpoch: number;
  readonly history: EpochHistory;
  /** Metrics of the last epoch (training and `val_` prefixed). */
  readonly finalMetrics: Record<string, number>;
  /** Mean training throughput over the epochs this run trained. */
  readonly samplesPerSecond: number;
  /** True when `stopSignal` ended training before the last epoch. */
  readonly stoppedEarly: boolean;
}

/** Train `model` for the remaining epochs, reporting and checkpointing every epoch. */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const { model, reporter, task } = options;
  const every = Math.max(1, options.checkpointEveryEpochs ?? 1);
  const restored = await options.checkpoints?.restoreLatest(model, (uri, reason) =>
    reporter.log('WARNING', `Skipping checkpoint ${uri}: ${reason}`),
  );
  const history: EpochHistory = restored?.history.slice(0, restored.epoch) ?? [];
  const startEpoch = Math.min(restored?.epoch ?? 0, options.epochs);
  if (restored !== undefined) {
    reporter.log('INFO', `Resuming from the checkpoint after epoch ${restored.epoch}`);
  }

  let epochStart = 0;
  let trainedMs = 0;
  let trainedSamples = 0;
  const halted = (): boolean =>
    options.signal?.aborted === true || options.stopSignal?.aborted === true;
  const stopIfAborted = (): void => {
    if (halted()) model.stopTraining = true;
  };
  const callbacks: tf.CustomCallbackArgs = {
    onEpochBegin: (epoch: number) => {
      options.random.reseed(epoch + 1);
      epochStart = performance.now();
    },
    onBatchEnd: stopIfAborted,
    onEpochEnd: async (epoch: number, logs?: tf.Logs) => {
      const elapsed = performance.now() - epochStart;
      // An epoch cut short by a stop is not reported: its metrics would be partial.
      if (halted()) return;
      trainedMs += elapsed;
      trainedSamples += options.train.count;
      const metrics = trainingMetrics(logs ?? {}, task);
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

  if (startEpoch < options.epochs) {
    const fitArgs = { epochs: options.epochs, initialEpoch: startEpoch, verbose: 0, callbacks };
    if (options.train.kind === 'tensors') {
      await model.fit(options.train.xs, options.train.ys, {
        ...fitArgs,
        batchSize: options.batchSize,
        shuffle: true,
      });
    } else {
      await model.fitDataset(options.train.dataset, fitArgs);
    }
  }
  if (options.signal?.aborted === true) {
    throw new StratusError('TRIAL_CANCELLED', {
      trialId: options.trialId,
      detail: String(options.signal.reason ?? 'cancelled'),
    });
  }
  return {
    epochs: history.length,
    resumedFromEpoch: startEpoch,
    history,
    finalMetrics: history.at(-1)?.metrics ?? {},
    samplesPerSecond: trainedMs > 0 ? trainedSamples / (trainedMs / 1000) : 0,
    stoppedEarly: options.stopSignal?.aborted === true && history.length < options.epochs,
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
