import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONV_CASES,
  convGradient,
  expectNoLeak,
  onBackend,
  relativeError,
  seededValues,
  size,
  type ConvCase,
} from './backend.test-support.js';
import { selectTrainingBackend } from './select-training-backend.js';
import { tf } from '@stratus/bundle';
import { isStratusWasmKernel } from './wasm-kernels/register-wasm-kernels.js';

describe('Conv2DBackpropInput on wasm (im2col replacement)', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it('replaces the tfjs kernel once selectTrainingBackend chose wasm', () => {
    expect(isStratusWasmKernel('Conv2DBackpropInput')).toBe(true);
  });

  it.each(CONV_CASES.map((c, i) => [i, c] as const))(
    'case %i matches the cpu backend',
    async (i, c) => {
      const seed = 31 * (i + 1);
      const expected = await onBackend('cpu', () => convGradient(c, seed, 'x'));
      expect(tf.getBackend()).toBe('wasm');
      const actual = convGradient(c, seed, 'x');
      expect(actual.length).toBe(size(c.x));
      expect(relativeError(actual, expected)).toBeLessThan(1e-4);
      expect(Math.max(...Array.from(expected, Math.abs))).toBeGreaterThan(0.5);
    },
  );

  it('frees the transposed filter and the patch gradients', () => {
    expectNoLeak(() => convGradient(CONV_CASES[4] as ConvCase, 5, 'x'));
  });

  it("hands NCHW to tfjs's own wasm kernel, which still gives the cpu result", async () => {
    const inputShape: [number, number, number, number] = [2, 3, 6, 5];
    const run = (): Float32Array =>
      tf.tidy(() => {
        const dy = tf.tensor4d(seededValues(2 * 4 * 3 * 3, 9), [2, 4, 3, 3]);
        const filter = tf.tensor4d(seededValues(3 * 3 * 3 * 4, 10), [3, 3, 3, 4]);
        const attrs = { inputShape, strides: 2, pad: 'same', dataFormat: 'NCHW' };
        const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs) as tf.Tensor;
        return dx.dataSync() as Float32Array;
      });
    const expected = await onBackend('cpu', run);
    const actual = run();
    expect(actual.length).toBe(size(inputShape));
    expect(relativeError(actual, expected)).toBeLessThan(1e-4);
  });
});
