import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@stratus/bundle';
import { expectNoLeak, onBackend, seededValues, size } from './backend.test-support.js';
import { selectTrainingBackend } from './select-training-backend.js';
import { isStratusWasmKernel } from './wasm-kernels/register-wasm-kernels.js';

interface SliceCase {
  shape: number[];
  begin: number[];
  size: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

/** Contiguous (leading-axis, whole-tensor, one element) and strided slices of ranks 1 to 5. */
const CASES: SliceCase[] = [
  { shape: [10], begin: [3], size: [4], dtype: 'float32' },
  { shape: [20, 7], begin: [5], size: [6], dtype: 'float32' },
  { shape: [20, 7], begin: [0, 0], size: [-1, -1], dtype: 'float32' },
  { shape: [20, 7], begin: [4, 2], size: [5, 3], dtype: 'float32' },
  { shape: [6, 5, 4], begin: [1, 0, 0], size: [2, 5, 4], dtype: 'int32' },
  { shape: [6, 5, 4], begin: [1, 2, 1], size: [3, 2, 2], dtype: 'int32' },
  { shape: [3, 4, 5, 6], begin: [0, 1, 2, 3], size: [2, 2, 2, 2], dtype: 'bool' },
  { shape: [2, 3, 4, 3, 5], begin: [1, 0, 1, 1, 0], size: [1, 3, 2, 2, 5], dtype: 'float32' },
  { shape: [2, 3], begin: [1, 1], size: [1, 1], dtype: 'float32' },
  { shape: [4, 3], begin: [2, 0], size: [0, 3], dtype: 'float32' },
];

function sliced(c: SliceCase) {
  return tf.tidy(() => {
    const values = Array.from(seededValues(size(c.shape), 5), (v) => Math.round(v * 50));
    const x = tf.tensor(values, c.shape, c.dtype);
    const out = tf.slice(x, c.begin, c.size);
    return { shape: out.shape, dtype: out.dtype, values: Array.from(out.dataSync()) };
  });
}

describe('Slice on wasm (read in place)', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it('replaces the tfjs kernel once selectTrainingBackend chose wasm', () => {
    expect(isStratusWasmKernel('Slice')).toBe(true);
  });

  it.each(CASES.map((c, i) => [i, c] as const))('case %i matches cpu', async (_i, c) => {
    const expected = await onBackend('cpu', () => sliced(c));
    expect(tf.getBackend()).toBe('wasm');
    expect(sliced(c)).toEqual(expected);
  });

  it('slices strings through the original kernel', () => {
    const x = tf.tensor(['a', 'b', 'c', 'd'], [2, 2], 'string');
    expect(tf.slice(x, [1, 0], [1, 2]).arraySync()).toEqual([['c', 'd']]);
    x.dispose();
  });

  it('frees nothing it should keep and keeps nothing it should free', () => {
    expectNoLeak(() => sliced(CASES[3] as SliceCase));
    expectNoLeak(() => sliced(CASES[1] as SliceCase));
  });
});
