import { beforeAll, describe, expect, it } from 'vitest';
import {
  CONV_CASES,
  convGradient,
  expectNoLeak,
  onBackend,
  relativeError,
  size,
  type ConvCase,
} from './backend.test-support.js';
import { selectTrainingBackend } from './select-training-backend.js';
import { tf } from '@stratus/bundle';
import { conv2dBackpropFilterWasm } from './wasm-kernels/conv2d-backprop-filter.js';

describe('Conv2DBackpropFilter on wasm', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it('is registered for wasm by selectTrainingBackend', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2dBackpropFilterWasm);
  });

  it.each(CONV_CASES.map((c, i) => [i, c] as const))(
    'case %i matches the cpu backend',
    async (i, c) => {
      const seed = 100 * (i + 1);
      const expected = await onBackend('cpu', () => convGradient(c, seed, 'filter'));
      expect(tf.getBackend()).toBe('wasm');
      const actual = convGradient(c, seed, 'filter');
      expect(actual.length).toBe(size(c.filter));
      expect(relativeError(actual, expected)).toBeLessThan(1e-4);
      // Not vacuous: the gradient has real magnitude.
      expect(Math.max(...Array.from(expected, Math.abs))).toBeGreaterThan(0.5);
    },
  );

  it('frees its im2col buffer and the matmul intermediates', () => {
    expectNoLeak(() => convGradient(CONV_CASES[1] as ConvCase, 7, 'filter'));
  });

  it('refuses NCHW with a message naming the layout', () => {
    const x = tf.zeros([1, 2, 4, 4]);
    const dy = tf.zeros([1, 3, 4, 4]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] };
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs)).toThrow(
      'Conv2DBackpropFilter on wasm supports dataFormat NHWC only, got NCHW',
    );
    tf.dispose([x, dy]);
  });
});
