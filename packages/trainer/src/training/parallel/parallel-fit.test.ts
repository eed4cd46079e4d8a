import { readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '@stratus/bundle';
import { createLocalStorage } from '@stratus/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../algorithms/build-model.js';
import { selectTrainingBackend } from '../../backend/select-training-backend.js';
import { CheckpointStore } from '../checkpoint.js';
import { createMemoryReporter } from '../reporter.js';
import { SeededRandomScope } from '../seeded-random.js';
import { trainLoop, type TrainLoopResult } from '../train-loop.js';

/**
 * Largest weight difference allowed between 1 and 2 threads: the two threads' gradients are
 * summed in float32 in another order than one thread's, so weights agree to float rounding,
 * which after these 14-28 Adam steps measured 9e-8.
 */
const TOLERANCE = 1e-5;
const ROWS = 100;
/** 15 does not divide 100, and 2 threads split 15 into 7 and 8 rows: uneven shards. */
const BATCH = 15;

/** Three noisy clusters in 6 dimensions, one-hot labels. */
function clusters(count: number): { xs: tf.Tensor; ys: tf.Tensor } {
  let state = 12345;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const features: number[][] = [];
  const labels: number[][] = [];
  for (let i = 0; i < count; i += 1) {
    const cls = i % 3;
    features.push(Array.from({ length: 6 }, (_, d) => (d % 3 === cls ? 1 : 0) + next()));
    labels.push([0, 1, 2].map((c) => (c === cls ? 1 : 0)));
  }
  return { xs: tf.tensor2d(features), ys: tf.tensor2d(labels) };
}

interface Run {
  result: TrainLoopResult;
  weights: Float32Array[];
  logs: string[];
}

async function train(
  threads: number,
  options: {
    epochs?: number;
    checkpoints?: CheckpointStore;
    abortAfterEpoch?: number;
    stopAfterEpoch?: number;
  } = {},
): Promise<Run> {
  const random = new SeededRandomScope(5);
  const data = clusters(ROWS);
  const model = buildModel({
    kind: 'dnn',
    task: 'classification',
    inputShape: [6],
    classes: 3,
    hiddenUnits: [16, 8],
    dropout: 0,
    l2: 0.001,
    learningRate: 0.01,
    optimizer: 'adam',
  });
  const abort = new AbortController();
  const stop = new AbortController();
  const reporter = createMemoryReporter();
  try {
    const result = await trainLoop({
      trialId: '1',
      model,
      train: { kind: 'tensors', ...data, count: ROWS },
      task: { kind: 'classification' },
      epochs: options.epochs ?? 3,
      batchSize: BATCH,
      random,
      reporter: {
        ...reporter,
        metrics: (step, values) => {
          reporter.metrics(step, values);
          if (step === options.abortAfterEpoch) abort.abort('test cancel');
          if (step === options.stopAfterEpoch) stop.abort('test stop');
        },
      },
      threads,
      signal: abort.signal,
      stopSignal: stop.signal,
      ...(options.checkpoints === undefined ? {} : { checkpoints: options.checkpoints }),
    });
    const weights = model.getWeights().map((tensor) => tensor.dataSync() as Float32Array);
    return { result, weights, logs: reporter.recorded.logs.map((log) => log.message) };
  } finally {
    random.restore();
    tf.dispose([data.xs, data.ys]);
    model.dispose();
  }
}

/** Threads of this process (Linux): worker threads that are not terminated stay counted. */
const osThreads = (): number => readdirSync('/proc/self/task').length;

function largestDifference(a: Float32Array[], b: Float32Array[]): number {
  expect(a.map((w) => w.length)).toEqual(b.map((w) => w.length));
  let largest = 0;
  a.forEach((weights, i) => {
    weights.forEach((value, k) => {
      largest = Math.max(largest, Math.abs(value - ((b[i] as Float32Array)[k] as number)));
    });
  });
  return largest;
}

let root: string;
beforeAll(async () => {
  await selectTrainingBackend('wasm');
  root = await mkdtemp(join(tmpdir(), 'stratus-parallel-fit-'));
  await mkdir(join(root, 'bucket'));
});
afterAll(async () => rm(root, { recursive: true, force: true }));

describe('data-parallel training on worker threads', () => {
  it('gives the weights and metrics of one thread, and the loss decreases', async () => {
    const one = await train(1);
    const two = await train(2);
    expect(two.logs).toContain('Training data-parallel on 2 threads');
    expect(one.logs).not.toContain('Training data-parallel on 2 threads');
    expect(largestDifference(one.weights, two.weights)).toBeLessThan(TOLERANCE);
    const losses = two.result.history.map((epoch) => epoch.metrics.loss as number);
    expect(losses).toHaveLength(3);
    expect(losses[2]).toBeLessThan(losses[0] as number);
    one.result.history.forEach((epoch, i) => {
      const other = two.result.history[i]?.metrics ?? {};
      expect(Object.keys(other).sort()).toEqual(['accuracy', 'loss']);
      expect(other.loss).toBeCloseTo(epoch.metrics.loss as number, 4);
      expect(other.accuracy).toBeCloseTo(epoch.metrics.accuracy as number, 4);
    });
  });

  it('stops after the current batch when aborted, rejects as cancelled, ends its threads', async () => {
    const threads = osThreads();
    await expect(train(2, { abortAfterEpoch: 1 })).rejects.toMatchObject({
      reason: 'TRIAL_CANCELLED',
    });
    expect(osThreads()).toBe(threads);
  });

  it('ends early on the stop signal and keeps the epochs trained', async () => {
    const run = await train(2, { stopAfterEpoch: 1 });
    expect(run.result.stoppedEarly).toBe(true);
    expect(run.result.history.map((epoch) => epoch.epoch)).toEqual([1]);
  });

  it('checkpoints and resumes on 2 threads as one thread does', async () => {
    const storage = createLocalStorage({ root });
    const resumed: Run[] = [];
    for (const threads of [1, 2]) {
      const checkpoints = new CheckpointStore(storage, `gs://bucket/threads-${threads}`);
      const first = await train(threads, { epochs: 2, checkpoints });
      expect(first.result.epochs).toBe(2);
      expect(await checkpoints.epochs()).toEqual([2, 1]);
      resumed.push(await train(threads, { epochs: 4, checkpoints }));
    }
    const [one, two] = resumed as [Run, Run];
    expect(two.result.resumedFromEpoch).toBe(2);
    expect(two.result.history.map((epoch) => epoch.epoch)).toEqual([1, 2, 3, 4]);
    expect(largestDifference(one.weights, two.weights)).toBeLessThan(TOLERANCE);
  });

  it('fails the trial, and ends its threads, when a worker thread cannot build the model', async () => {
    // A layer class registered only in this thread: the worker threads cannot rebuild it.
    class Doubling extends tf.layers.Layer {
      static readonly className = 'StratusTestDoubling';
      override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
        return tf.mul(Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs, 2);
      }
    }
    tf.serialization.registerClass(Doubling);
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [6], units: 4 }),
        new Doubling({}),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const data = clusters(ROWS);
    const random = new SeededRandomScope(5);
    const threads = osThreads();
    try {
      await expect(
        trainLoop({
          trialId: '1',
          model,
          train: { kind: 'tensors', ...data, count: ROWS },
          task: { kind: 'classification' },
          epochs: 1,
          batchSize: BATCH,
          random,
          reporter: createMemoryReporter(),
          threads: 2,
        }),
      ).rejects.toThrow(/gradient thread 1: .*StratusTestDoubling/);
      expect(osThreads()).toBe(threads);
    } finally {
      random.restore();
      tf.dispose([data.xs, data.ys]);
      model.dispose();
    }
  });
});
