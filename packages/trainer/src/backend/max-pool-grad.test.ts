import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoLeak,
  onBackend,
  relativeError,
  seededValues,
  size,
  type Shape4,
} from './backend.test-support.js';
import { selectTrainingBackend } from './select-training-backend.js';
import { tf } from '@stratus/bundle';
import { isStratusWasmKernel } from './wasm-kernels/register-wasm-kernels.js';

interface PoolCase {
  x: Shape4;
  filter: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid';
}

const CASES: PoolCase[] = [
  { x: [2, 8, 8, 3], filter: 2, strides: 2, pad: 'valid' },
  { x: [2, 7, 7, 4], filter: 3, strides: 2, pad: 'same' },
  { x: [3, 6, 5, 2], filter: 2, strides: 1, pad: 'same' },
  { x: [2, 28, 28, 16], filter: 2, strides: 2, pad: 'valid' },
  { x: [1, 9, 9, 5], filter: 3, strides: 3, pad: 'valid' },
  { x: [2, 5, 7, 3], filter: [3, 2], strides: [1, 2], pad: 'same' },
];

/**
 * dL/dx of sum(maxPool(x) * weights). x is rounded to halves and half of it is zeroed, as
 * after a ReLU, so windows hold ties: the gradient must go to the same element cpu picks.
 */
function poolGradient(c: PoolCase, seed: number): Float32Array {
  return tf.tidy(() => {
    const raw = tf.tensor4d(seededValues(size(c.x), seed), c.x);
    const x = tf.relu(tf.div(tf.round(tf.mul(raw, 4)), 2)) as tf.Tensor4D;
    const outShape = tf.maxPool(x, c.filter, c.strides, c.pad).shape;
    const weights = tf.tensor(seededValues(size(outShape), seed + 1), outShape);
    const grad = tf.grad((v) =>
      tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, c.filter, c.strides, c.pad), weights)),
    );
    return grad(x).dataSync() as Float32Array;
  });
}

describe('MaxPoolGrad on wasm (single-pass replacement)', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it('replaces the tfjs kernel once selectTrainingBackend chose wasm', () => {
    expect(isStratusWasmKernel('MaxPoolGrad')).toBe(true);
  });

  it.each(CASES.map((c, i) => [i, c] as const))('case %i matches the cpu backend', async (i, c) => {
    const seed = 17 * (i + 1);
    const expected = await onBackend('cpu', () => poolGradient(c, seed));
    expect(tf.getBackend()).toBe('wasm');
    const actual = poolGradient(c, seed);
    expect(actual.length).toBe(size(c.x));
    expect(relativeError(actual, expected)).toBeLessThan(1e-6);
    expect(expected.filter((v) => v !== 0).length).toBeGreaterThan(0);
  });

  it('allocates only its output', () => {
    expectNoLeak(() => poolGradient(CASES[1] as PoolCase, 3));
  });
});
