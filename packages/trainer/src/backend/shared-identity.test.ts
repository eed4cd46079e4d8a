import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@stratus/bundle';
import { onBackend, seededValues } from './backend.test-support.js';
import { selectTrainingBackend } from './select-training-backend.js';
import { isStratusWasmKernel } from './wasm-kernels/register-wasm-kernels.js';

/**
 * Same-dtype casts (this kernel's path) and the ones the original keeps. Not float32 to bool:
 * tfjs 4.22's wasm Cast gives 255 for -1 there, with or without this kernel.
 */
const CASTS = [
  ['float32', 'float32'],
  ['int32', 'int32'],
  ['bool', 'bool'],
  ['float32', 'int32'],
  ['int32', 'float32'],
  ['bool', 'float32'],
] as const;

function cast(from: tf.DataType, to: tf.DataType) {
  return tf.tidy(() => {
    const values = Array.from(seededValues(12, 4), (v) =>
      from === 'bool' ? Number(v > 0) : from === 'int32' ? Math.round(v * 9) : v * 3,
    );
    const x = tf.tensor(values, [3, 4], from);
    const out = tf.cast(x, to);
    return { dtype: out.dtype, shape: out.shape, values: Array.from(out.dataSync()) };
  });
}

describe('Identity and same-dtype Cast on wasm share the buffer', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it('replaces both tfjs kernels once selectTrainingBackend chose wasm', () => {
    expect(isStratusWasmKernel('Identity')).toBe(true);
    expect(isStratusWasmKernel('Cast')).toBe(true);
  });

  it.each(CASTS)('cast %s to %s matches cpu', async (from, to) => {
    const expected = await onBackend('cpu', () => cast(from, to));
    expect(tf.getBackend()).toBe('wasm');
    expect(cast(from, to)).toEqual(expected);
  });

  it('a clone outlives its source and adds no buffer', () => {
    const buffers = tf.engine().backend.numDataIds();
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const y = tf.clone(x);
    const z = tf.cast(y, 'float32');
    expect(tf.engine().backend.numDataIds()).toBe(buffers + 1);
    x.dispose();
    y.dispose();
    expect(z.arraySync()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    z.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
  });

  it('a variable assigned a new value leaves its clone unchanged', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const before = tf.clone(v);
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(before.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    tf.dispose([v, before]);
  });

  it('gives the cpu gradients through identities', async () => {
    const grads = () =>
      tf.tidy(() => {
        const x = tf.tensor1d(seededValues(6, 8));
        return Array.from(
          tf
            .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.clone(t), tf.cast(t, 'float32'))))(x)
            .dataSync(),
        );
      });
    const expected = await onBackend('cpu', grads);
    expect(grads()).toEqual(expected);
  });
});
