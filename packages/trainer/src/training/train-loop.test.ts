import { tf } from '@stratus/bundle';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../algorithms/build-model.js';
import { createMemoryReporter } from './reporter.js';
import { SeededRandomScope } from './seeded-random.js';
import { trainLoop } from './train-loop.js';

/** Two Gaussian blobs, linearly separable. */
function blobs(count: number, seed: number): { xs: tf.Tensor; ys: tf.Tensor } {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const features: number[][] = [];
  const labels: number[][] = [];
  for (let i = 0; i < count; i += 1) {
    const cls = i % 2;
    features.push([cls * 2 - 1 + next(), cls * 2 - 1 + next()]);
    labels.push(cls === 0 ? [1, 0] : [0, 1]);
  }
  return { xs: tf.tensor2d(features), ys: tf.tensor2d(labels) };
}

async function trainOnce(seed: number) {
  const random = new SeededRandomScope(seed);
  try {
    const model = buildModel({
      kind: 'dnn',
      task: 'classification',
      inputShape: [2],
      classes: 2,
      hiddenUnits: [8],
      dropout: 0.1,
      l2: 0,
      learningRate: 0.05,
      optimizer: 'adam',
    });
    const train = blobs(200, 1);
    const validation = blobs(50, 2);
    const reporter = createMemoryReporter();
    const result = await trainLoop({
      trialId: '1',
      model,
      train: { kind: 'tensors', ...train, count: 200 },
      validation: { kind: 'tensors', ...validation, count: 50 },
      task: { kind: 'classification' },
      epochs: 5,
      batchSize: 16,
      random,
      reporter,
    });
    tf.dispose([train.xs, train.ys, validation.xs, validation.ys]);
    model.dispose();
    return { result, reporter };
  } finally {
    random.restore();
  }
}

// A backend for the models built here: importing @stratus/bundle registers wasm, uninitialised,
// above cpu (tests sharing this module graph may also have chosen one).
beforeAll(() => tf.setBackend('cpu'));

describe('trainLoop', () => {
  it('learns a separable problem and reports every epoch', async () => {
    const { result, reporter } = await trainOnce(7);
    expect(result.epochs).toBe(5);
    expect(result.resumedFromEpoch).toBe(0);
    expect(result.finalMetrics.val_accuracy).toBeGreaterThanOrEqual(0.95);
    expect(reporter.recorded.metrics.map((point) => point.step)).toEqual([1, 2, 3, 4, 5]);
    expect(Object.keys(reporter.recorded.metrics[0]?.values ?? {}).sort()).toEqual([
      'accuracy',
      'loss',
      'val_accuracy',
      'val_loss',
    ]);
    expect(reporter.recorded.progress.at(-1)).toMatchObject({ epoch: 5, totalEpochs: 5 });
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const first = await trainOnce(11);
    const second = await trainOnce(11);
    const other = await trainOnce(12);
    expect(second.result.history).toEqual(first.result.history);
    expect(other.result.history).not.toEqual(first.result.history);
  });

  it('restores Math.random after the trial', async () => {
    const original = Math.random;
    await trainOnce(3);
    expect(Math.random).toBe(original);
  });
});
