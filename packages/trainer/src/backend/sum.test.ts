import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@stratus/bundle';
import {
  expectNoLeak,
  onBackend,
  relativeError,
  seededValues,
  size,
} from './backend.test-support.js';
import { selectTrainingBackend } from './select-training-backend.js';
import { isStratusWasmKernel } from './wasm-kernels/register-wasm-kernels.js';

interface SumCase {
  shape: number[];
  axes: number[];
  keepDims: boolean;
  dtype: 'float32' | 'int32';
}

/** Leading axes (this kernel's path) with and without keepDims, and others (the original's). */
const CASES: SumCase[] = [
  { shape: [64, 6, 6, 16], axes: [0, 1, 2], keepDims: false, dtype: 'float32' },
  { shape: [64, 6, 6, 16], axes: [2, 0, 1], keepDims: true, dtype: 'float32' },
  { shape: [9, 5], axes: [0], keepDims: false, dtype: 'float32' },
  { shape: [9, 5], axes: [-2], keepDims: true, dtype: 'float32' },
  { shape: [7], axes: [0], keepDims: false, dtype: 'float32' },
  { shape: [4, 3, 2], axes: [0, 1, 2], keepDims: false, dtype: 'float32' },
  { shape: [4, 3, 2], axes: [1], keepDims: false, dtype: 'float32' },
  { shape: [4, 3, 2], axes: [0, 2], keepDims: true, dtype: 'float32' },
  { shape: [6, 4], axes: [0], keepDims: false, dtype: 'int32' },
  { shape: [64, 28, 28, 16], axes: [0, 1, 2], keepDims: false, dtype: 'float32' },
  { shape: [0, 3], axes: [0], keepDims: false, dtype: 'float32' },
];

function summed(c: SumCase) {
  return tf.tidy(() => {
    const values = Array.from(seededValues(size(c.shape), 3), (v) =>
      c.dtype === 'int32' ? Math.round(v * 50) : v,
    );
    const out = tf.sum(tf.tensor(values, c.shape, c.dtype), c.axes, c.keepDims);
    return { shape: out.shape, dtype: out.dtype, values: Array.from(out.dataSync()) };
  });
}

describe('Sum over leading axes on wasm', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it('replaces the tfjs kernel once selectTrainingBackend chose wasm', () => {
    expect(isStratusWasmKernel('Sum')).toBe(true);
  });

  it.each(CASES.map((c, i) => [i, c] as const))('case %i matches cpu', async (_i, c) => {
    const expected = await onBackend('cpu', () => summed(c));
    expect(tf.getBackend()).toBe('wasm');
    const actual = summed(c);
    expect(actual.shape).toEqual(expected.shape);
    expect(actual.dtype).toBe(expected.dtype);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-6);
  });

  it('frees nothing it should keep and keeps nothing it should free', () => {
    expectNoLeak(() => summed(CASES[0] as SumCase));
  });
});
