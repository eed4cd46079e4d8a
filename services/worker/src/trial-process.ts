/**
 * A trial process: forked by the worker with an IPC channel, it loads
 * TensorFlow.js and picks the backend once (`init`), then runs trials one at
 * a time (`run`), streaming the reporter's logs, metrics and progress back.
 * A crash or an out-of-memory here takes only this process; the worker keeps
 * renewing its BullMQ locks. It exits when the worker disconnects (or dies).
 */
import { join } from 'node:path';
import {
  storageOptionsFromConfig,
  type TrainerLimitsConfig,
  type TrainerSandbox,
} from '@stratus/config';
import { StratusError, objectiveMetricTag, toWireError } from '@stratus/spec';
import { createStorage, type Storage } from '@stratus/storage';
import {
  DatasetCache,
  runTrial,
  selectTrainingBackend,
  type TrialReporter,
  type TrialResult,
  type TrialSpec,
} from '@stratus/trainer';
import type { BackendInfo } from '@stratus/bundle';
import {
  isMessage,
  type ChildMessage,
  type ParentMessage,
  type ShardSpec,
  type TrialProcessConfig,
} from './ipc-protocol.js';
import { runShardSpec, type ShardRuntime } from './shard-run.js';

interface Runtime {
  readonly storage: Storage;
  readonly cache: DatasetCache;
  readonly backend: BackendInfo;
  readonly workRoot: string;
  readonly trialThreads: number;
  readonly trainerHeapMb: number;
  readonly trainerSandbox: TrainerSandbox;
  readonly trainerLimits: TrainerLimitsConfig;
  readonly maxModelParams: number;
  readonly shards: ShardRuntime;
}

/** Send a message; resolves once it is handed to the channel (or at once without one). */
const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected || process.send === undefined) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });

/** Least time between two shard-progress messages. */
const SHARD_PROGRESS_INTERVAL_MS = 250;

/** Set by SIGTERM: leave once the trial has stopped. */
let exitAfterTrial = false;

let runtime: Runtime | undefined;
let current:
  | { readonly abort: AbortController; readonly stop: AbortController; readonly custom: boolean }
  | undefined;

const init = async (config: TrialProcessConfig): Promise<void> => {
  try {
    const backend = await selectTrainingBackend(config.tfjsBackend);
    const storage = createStorage(storageOptionsFromConfig(config));
    runtime = {
      storage,
      cache: new DatasetCache({ dir: join(config.home, 'cache', 'datasets') }),
      backend,
      workRoot: join(config.home, 'work'),
      trialThreads: config.trialThreads,
      trainerHeapMb: config.trainerHeapMb,
      trainerSandbox: config.trainerSandbox,
      trainerLimits: config.trainerLimits,
      maxModelParams: config.limits.maxModelParams,
      shards: {
        storage,
        predictRuntime: config.predictor.runtime,
        onnxThreads: config.predictor.onnxThreads,
        maxModelParams: config.limits.maxModelParams,
      },
    };
    await send({ type: 'ready', backend });
  } catch (error) {
    await send({ type: 'init-failed', error: toWireError(error) });
    process.disconnect();
  }
};

/** The reporter that streams to the worker, remembering each metric's last value. */
const ipcReporter = (last: Map<string, { step: number; value: number }>): TrialReporter => ({
  log: (severity, message) =>
    void send({ type: 'log', severity, message, time: new Date().toISOString() }),
  metrics: (step, values) => {
    for (const [name, value] of Object.entries(values)) last.set(name, { step, value });
    void send({ type: 'metrics', step, values, time: new Date().toISOString() });
  },
  progress: (progress) => void send({ type: 'progress', progress }),
});

/**
 * A custom trainer cannot be asked to stop and keep its model, so it is
 * aborted; its last reported objective stands as the stopped trial's result.
 */
const stoppedCustomResult = (
  spec: TrialSpec,
  last: ReadonlyMap<string, { step: number; value: number }>,
): TrialResult => {
  const metricTag = objectiveMetricTag(spec.hyperparameterMetricTag);
  const objective = last.get(metricTag);
  return {
    trialId: spec.trialId,
    ...(objective === undefined ? {} : { objective: objective.value }),
    metricTag,
    trainingStep: objective?.step ?? 0,
    finalMetrics: Object.fromEntries([...last].map(([name, point]) => [name, point.value])),
    modelDir: '',
    epochs: objective?.step ?? 0,
    resumedFromEpoch: 0,
    samplesPerSecond: 0,
    stoppedEarly: true,
  };
};

const run = async (spec: TrialSpec): Promise<void> => {
  if (runtime === undefined || current !== undefined) {
    await send({
      type: 'failed',
      // A worker bug, not the trial's: INTERNAL is retryable, so another attempt runs it.
      error: toWireError(
        new StratusError('INTERNAL', { detail: 'trial process is not ready for a trial' }),
      ),
    });
    return;
  }
  const custom = spec.trainingInput.builtinAlgorithm === undefined;
  const control = { abort: new AbortController(), stop: new AbortController(), custom };
  current = control;
  const last = new Map<string, { step: number; value: number }>();
  try {
    void send({ type: 'started', time: new Date().toISOString() });
    const result = await runTrial(spec, {
      storage: runtime.storage,
      cache: runtime.cache,
      backend: runtime.backend,
      workRoot: runtime.workRoot,
      trialThreads: runtime.trialThreads,
      trainerHeapMb: runtime.trainerHeapMb,
      trainerSandbox: runtime.trainerSandbox,
      trainerLimits: runtime.trainerLimits,
      trainerMaxRunningSeconds: runtime.trainerLimits.maxRunningSeconds,
      maxModelParams: runtime.maxModelParams,
      parentEnv: process.env,
      reporter: ipcReporter(last),
      signal: control.abort.signal,
      stopSignal: control.stop.signal,
    });
    await send({ type: 'result', result });
  } catch (error) {
    const stopped =
      custom &&
      control.stop.signal.aborted &&
      error instanceof StratusError &&
      error.reason === 'TRIAL_CANCELLED';
    if (stopped) await send({ type: 'result', result: stoppedCustomResult(spec, last) });
    else await send({ type: 'failed', error: toWireError(error) });
  } finally {
    current = undefined;
    // Stopped by the worker: leave, so the worker sees the process gone with the trial.
    if (exitAfterTrial) process.exit(0);
  }
};

/** Run one batch prediction shard, streaming its rows read; aborted like a trial (SIGTERM). */
const runShardMessage = async (spec: ShardSpec): Promise<void> => {
  if (runtime === undefined || current !== undefined) {
    await send({
      type: 'failed',
      error: toWireError(
        new StratusError('INTERNAL', { detail: 'trial process is not ready for a shard' }),
      ),
    });
    return;
  }
  const control = { abort: new AbortController(), stop: new AbortController(), custom: false };
  current = control;
  try {
    void send({ type: 'started', time: new Date().toISOString() });
    let sentAt = 0;
    const counts = await runShardSpec(runtime.shards, spec, control.abort.signal, (rowsDone) => {
      // One message per batch would flood the channel; the worker writes once a second anyway.
      const now = Date.now();
      if (now - sentAt < SHARD_PROGRESS_INTERVAL_MS) return;
      sentAt = now;
      void send({ type: 'shard-progress', rowsDone });
    });
    await send({ type: 'shard-result', counts });
  } catch (error) {
    await send({ type: 'failed', error: toWireError(error) });
  } finally {
    current = undefined;
    if (exitAfterTrial) process.exit(0);
  }
};

process.on('message', (message: unknown) => {
  if (!isMessage<ParentMessage>(message)) return;
  if (message.type === 'init') void init(message.config);
  else if (message.type === 'run') void run(message.spec);
  else if (message.type === 'run-shard') void runShardMessage(message.spec);
  else if (message.type === 'stop-early' && current !== undefined) {
    current.stop.abort(message.reason);
    // Custom trainers only know how to be aborted (see stoppedCustomResult).
    if (current.custom) current.abort.abort(message.reason);
  }
});

// The worker asks a trial to stop (cancel, shutdown) with SIGTERM: the
// trainer stops after its current batch; the worker SIGKILLs after a grace.
process.on('SIGTERM', () => {
  if (current === undefined) process.exit(0);
  exitAfterTrial = true;
  current.abort.abort('stopped by the worker (SIGTERM)');
});

// Without its worker nobody would record the result: stop at once. Aborting
// first signals a custom trainer's process group synchronously, so it does
// not outlive this process.
process.on('disconnect', () => {
  if (current === undefined) process.exit(0);
  current.abort.abort('the worker went away');
  process.exit(1);
});
