import { tf } from '@stratus/bundle';
import { StratusError } from '@stratus/spec';
import type { CheckpointStore, EpochHistory } from './checkpoint.js';
import { epochHooks, type EpochHooks } from './epoch-hooks.js';
import type { ExampleData, Task } from './evaluate.js';
import { parallelFit } from './parallel/parallel-fit.js';
import { trainingThreads } from './parallel/training-threads.js';
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
   * Aborting ends training early (the job's stopping rule) after the current
   * batch, and the loop returns normally with `stoppedEarly`, so the caller
   * still exports the model.
   */
  readonly stopSignal?: AbortSignal;
  /**
   * Threads to train on (STRATUS_TRIAL_THREADS): above 1, in-memory data on the wasm
   * backend trains data-parallel (parallel/parallel-fit.ts). @defaultValue 1
   */
  readonly threads?: number;
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
  const { model, reporter } = options;
  const restored = await options.checkpoints?.restoreLatest(model, (uri, reason) =>
    reporter.log('WARNING', `Skipping checkpoint ${uri}: ${reason}`),
  );
  const history: EpochHistory = restored?.history.slice(0, restored.epoch) ?? [];
  const startEpoch = Math.min(restored?.epoch ?? 0, options.epochs);
  if (restored !== undefined) {
    reporter.log('INFO', `Resuming from the checkpoint after epoch ${restored.epoch}`);
  }

  const hooks = epochHooks(options, history);
  if (startEpoch < options.epochs) {
    const threads = trainingThreads(options.threads ?? 1, tf.getBackend(), options.train.kind);
    if (threads.note !== undefined) reporter.log('INFO', threads.note);
    if (threads.count > 1 && options.train.kind === 'tensors') {
      reporter.log('INFO', `Training data-parallel on ${threads.count} threads`);
      await parallelFit({
        model,
        train: options.train,
        epochs: options.epochs,
        initialEpoch: startEpoch,
        batchSize: options.batchSize,
        threads: threads.count,
        seed: options.random.seed,
        hooks,
      });
    } else {
      await fit(options, startEpoch, hooks);
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
    samplesPerSecond:
      hooks.totals.trainedMs > 0
        ? hooks.totals.trainedSamples / (hooks.totals.trainedMs / 1000)
        : 0,
    stoppedEarly: options.stopSignal?.aborted === true && history.length < options.epochs,
  };
}

/** One thread: `model.fit` (or `fitDataset`), with the epoch hooks as its callbacks. */
async function fit(
  options: TrainLoopOptions,
  initialEpoch: number,
  hooks: EpochHooks,
): Promise<void> {
  const { model } = options;
  const callbacks: tf.CustomCallbackArgs = {
    onEpochBegin: (epoch: number) => hooks.begin(epoch),
    onBatchEnd: () => {
      if (hooks.halted()) model.stopTraining = true;
    },
    onEpochEnd: (epoch: number, logs?: tf.Logs) => hooks.end(epoch, logs ?? {}),
  };
  const fitArgs = { epochs: options.epochs, initialEpoch, verbose: 0, callbacks };
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
