import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@stratus/bundle';
import { onBackend, relativeError, seededValues } from './backend.test-support.js';
import { FusedAdamOptimizer } from './fused-adam.js';
import { selectTrainingBackend } from './select-training-backend.js';

const STEPS = 4;

/**
 * `STEPS` Adam steps on a linear model's weights (a matrix, a vector and a scalar, so every
 * shape class is updated) with squared loss; returns the weights and the optimizer's own.
 */
function train(makeOptimizer: () => tf.Optimizer) {
  const optimizer = makeOptimizer();
  const w = tf.variable(tf.tensor2d(seededValues(12 * 5, 1), [12, 5]), true, 'w');
  const b = tf.variable(tf.tensor1d(seededValues(5, 2)), true, 'b');
  const s = tf.variable(tf.scalar(0.5), true, 's');
  const x = tf.tensor2d(seededValues(9 * 12, 3), [9, 12]);
  const y = tf.tensor2d(seededValues(9 * 5, 4), [9, 5]);
  for (let i = 0; i < STEPS; i++) {
    optimizer.minimize(() => tf.sum(tf.square(tf.sub(tf.add(tf.matMul(x, w), b).mul(s), y))));
  }
  const weights = [w, b, s].map((v) => v.dataSync().slice() as Float32Array);
  const state = optimizer.getWeights();
  return state.then((named) => {
    const result = {
      weights,
      stateNames: named.map((n) => n.name),
      state: named.map((n) => n.tensor.dataSync().slice() as Float32Array),
    };
    tf.dispose([w, b, s, x, y, ...named.map((n) => n.tensor)]);
    optimizer.dispose();
    return result;
  });
}

const fused = () => new FusedAdamOptimizer(0.05, 0.9, 0.999);
const reference = () => tf.train.adam(0.05);

describe('FusedAdamOptimizer', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it("gives tf.train.adam's weights and optimizer state on cpu, on wasm", async () => {
    const expected = await onBackend('cpu', () => train(reference));
    expect(tf.getBackend()).toBe('wasm');
    const actual = await train(fused);
    expect(actual.stateNames).toEqual(expected.stateNames);
    expect(actual.stateNames).toEqual(['iter', 'w/m', 'b/m', 's/m', 'w/v', 'b/v', 's/v']);
    [...actual.weights, ...actual.state].forEach((values, i) => {
      const want = [...expected.weights, ...expected.state][i] as Float32Array;
      expect(relativeError(values, want)).toBeLessThan(1e-6);
    });
    // The weights moved: the steps were applied.
    expect(relativeError(actual.weights[0] as Float32Array, seededValues(60, 1))).toBeGreaterThan(
      1e-3,
    );
  });

  it('updates in one pass on wasm: no elementwise kernels beyond the two beta products', async () => {
    const w = tf.variable(tf.tensor1d(seededValues(8, 5)));
    const optimizer = fused();
    const step = (): void => void optimizer.minimize(() => tf.sum(tf.mul(w, w)));
    step();
    const profile = await tf.profile(step);
    const names = profile.kernels.map((k) => k.name);
    expect(names).not.toContain('Sqrt');
    expect(names.filter((n) => n === 'RealDiv')).toHaveLength(0);
    tf.dispose(w);
    optimizer.dispose();
  });

  it('keeps no tensor per step once the moments exist', () => {
    const w = tf.variable(tf.tensor2d(seededValues(6, 6), [2, 3]));
    const optimizer = fused();
    const step = () => optimizer.minimize(() => tf.sum(tf.square(w)));
    step();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    step();
    step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    tf.dispose(w);
    optimizer.dispose();
  });

  it('is AdamOptimizer on other backends', async () => {
    const expected = await onBackend('cpu', () => train(reference));
    const actual = await onBackend('cpu', () => train(fused));
    expect(actual).toEqual(expected);
  });
});
