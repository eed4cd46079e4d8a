import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@stratus/bundle';
import { expectNoLeak, onBackend, seededValues, size } from './backend.test-support.js';
import { selectTrainingBackend } from './select-training-backend.js';
import { isStratusWasmKernel } from './wasm-kernels/register-wasm-kernels.js';

interface GatherCase {
  shape: number[];
  indices: number[];
  indicesShape: number[];
  axis: number;
  batchDims: number;
  dtype: 'float32' | 'int32';
}

/** Every axis (negative too), repeated indices, index matrices, and batch dimensions. */
const CASES: GatherCase[] = [
  {
    shape: [10, 7],
    indices: [3, 0, 9, 3],
    indicesShape: [4],
    axis: 0,
    batchDims: 0,
    dtype: 'float32',
  },
  { shape: [10, 7], indices: [6, 1], indicesShape: [2], axis: 1, batchDims: 0, dtype: 'float32' },
  {
    shape: [4, 5, 3],
    indices: [4, 0, 2, 2],
    indicesShape: [2, 2],
    axis: 1,
    batchDims: 0,
    dtype: 'int32',
  },
  {
    shape: [4, 5, 3],
    indices: [2, 1],
    indicesShape: [2],
    axis: -1,
    batchDims: 0,
    dtype: 'float32',
  },
  { shape: [8], indices: [7, 0, 5], indicesShape: [3], axis: 0, batchDims: 0, dtype: 'int32' },
  {
    shape: [3, 4, 2],
    indices: [1, 3, 0, 0, 2, 1],
    indicesShape: [3, 2],
    axis: 1,
    batchDims: 1,
    dtype: 'float32',
  },
  { shape: [5, 3], indices: [], indicesShape: [0], axis: 0, batchDims: 0, dtype: 'float32' },
];

function gathered(c: GatherCase) {
  return tf.tidy(() => {
    const values = Array.from(seededValues(size(c.shape), 9), (v) => Math.round(v * 50));
    const x = tf.tensor(values, c.shape, c.dtype);
    const indices = tf.tensor(c.indices, c.indicesShape, 'int32');
    const out = tf.gather(x, indices, c.axis, c.batchDims);
    return { shape: out.shape, dtype: out.dtype, values: Array.from(out.dataSync()) };
  });
}

describe('GatherV2 on wasm (copied from the heap)', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it('replaces the tfjs kernel once selectTrainingBackend chose wasm', () => {
    expect(isStratusWasmKernel('GatherV2')).toBe(true);
  });

  it.each(CASES.map((c, i) => [i, c] as const))('case %i matches cpu', async (_i, c) => {
    const expected = await onBackend('cpu', () => gathered(c));
    expect(tf.getBackend()).toBe('wasm');
    expect(gathered(c)).toEqual(expected);
  });

  it('refuses an index out of range, naming it', () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const indices = tf.tensor1d([0, 2], 'int32');
    expect(() => tf.gather(x, indices)).toThrow(/index value 2 is not in \[0, 1\]/);
    tf.dispose([x, indices]);
  });

  it('frees nothing it should keep and keeps nothing it should free', () => {
    expectNoLeak(() => gathered(CASES[0] as GatherCase));
    expectNoLeak(() => gathered(CASES[2] as GatherCase));
  });
});
