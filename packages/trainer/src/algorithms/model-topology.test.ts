import { beforeAll, describe, expect, it } from 'vitest';
import { countModelParams, tf } from '@stratus/bundle';
import { buildModel, type ModelOptions } from './build-model.js';
import { builtinTopology } from './model-topology.js';

const base: ModelOptions = {
  kind: 'dnn',
  task: 'classification',
  inputShape: [7],
  classes: 3,
  hiddenUnits: [32, 16],
  dropout: 0.1,
  l2: 0,
  learningRate: 0.01,
  optimizer: 'adam',
};

// A backend for the models built here: importing @stratus/bundle registers wasm, uninitialised,
// above cpu (tests sharing this module graph may also have chosen one).
beforeAll(() => tf.setBackend('cpu'));

describe('builtinTopology', () => {
  it.each([
    ['dnn classifier', base],
    ['linear regressor', { ...base, kind: 'linear', task: 'regression' } as const],
    [
      'cnn on 28×28 grey images',
      { ...base, kind: 'cnn', inputShape: [28, 28, 1], hiddenUnits: [64] } as const,
    ],
    ['dnn without dropout', { ...base, dropout: 0, hiddenUnits: [5] }],
  ])('counts what buildModel builds: %s', (_name, options: ModelOptions) => {
    const model = buildModel(options);
    expect(countModelParams(builtinTopology(options)).topology).toBe(model.countParams());
    model.dispose();
  });

  it('counts the largest hiddenUnits the spec allows without building them', () => {
    const options = { ...base, inputShape: [784], hiddenUnits: Array<number>(16).fill(16384) };
    expect(countModelParams(builtinTopology(options)).topology).toBe(
      784 * 16384 + 16384 + 15 * (16384 * 16384 + 16384) + 16384 * 3 + 3,
    );
  });
});
