import { expect } from 'vitest';
import { tf } from '@stratus/bundle';

/** Deterministic values in [-1, 1) (a tiny LCG), independent of any tfjs backend. */
export function seededValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** max|actual - expected| / max|expected|: the error relative to the result's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} differs from ${expected.length}`);
  }
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)));
    scale = Math.max(scale, Math.abs(expected[i] as number));
  }
  return diff / Math.max(scale, Number.MIN_VALUE);
}

/** Runs `fn` with `name` as the current backend, then restores the previous one. */
export async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  const previous = tf.getBackend();
  await tf.setBackend(name);
  try {
    return fn();
  } finally {
    await tf.setBackend(previous);
  }
}

export type Shape4 = [number, number, number, number];
export interface ConvCase {
  x: Shape4;
  filter: Shape4;
  strides: number | [number, number];
  pad: 'same' | 'valid';
}

/** Convolutions the wasm kernels are checked on: strides 1, 2 and mixed, both paddings. */
export const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 8, 9, 2], filter: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [2, 9, 8, 4], filter: [2, 3, 4, 3], strides: 2, pad: 'valid' },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: 'valid' },
  { x: [2, 13, 13, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
  { x: [3, 6, 5, 3], filter: [4, 2, 3, 2], strides: [2, 1], pad: 'same' },
  { x: [2, 5, 5, 2], filter: [1, 1, 2, 3], strides: 2, pad: 'valid' },
];

export const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** dL/d`wrt` where L = sum(conv2d(x, filter) * weights): the upstream gradient is `weights`. */
export function convGradient(c: ConvCase, seed: number, wrt: 'x' | 'filter'): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(seededValues(size(c.x), seed), c.x);
    const filter = tf.tensor4d(seededValues(size(c.filter), seed + 1), c.filter);
    const outShape = tf.conv2d(x, filter, c.strides, c.pad).shape;
    const weights = tf.tensor(seededValues(size(outShape), seed + 2), outShape);
    const loss = (xs: tf.Tensor4D, fs: tf.Tensor4D): tf.Scalar =>
      tf.sum(tf.mul(tf.conv2d(xs, fs, c.strides, c.pad), weights));
    const grad =
      wrt === 'x'
        ? tf.grad((v) => loss(v as tf.Tensor4D, filter))(x)
        : tf.grad((v) => loss(x, v as tf.Tensor4D))(filter);
    return grad.dataSync() as Float32Array;
  });
}

/** Runs `fn` twice and checks the second run left no tensor or backend buffer behind. */
export function expectNoLeak(fn: () => unknown): void {
  fn();
  const dataIds = tf.engine().backend.numDataIds();
  const tensors = tf.memory().numTensors;
  fn();
  expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  expect(tf.memory().numTensors).toBe(tensors);
}
