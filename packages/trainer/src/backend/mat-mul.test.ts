import { beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoLeak,
  onBackend,
  relativeError,
  seededValues,
  size,
} from './backend.test-support.js';
import { selectTrainingBackend } from './select-training-backend.js';
import { tf } from '@stratus/bundle';
import { isStratusWasmKernel } from './wasm-kernels/register-wasm-kernels.js';

interface MatMulCase {
  /** Batch dimensions of a and b: different ones broadcast, as tf.matMul allows. */
  batchA: number[];
  batchB: number[];
  rows: number;
  inner: number;
  cols: number;
}

const SHAPES: MatMulCase[] = [
  { batchA: [], batchB: [], rows: 5, inner: 7, cols: 3 },
  { batchA: [], batchB: [], rows: 1, inner: 6, cols: 4 },
  { batchA: [], batchB: [], rows: 4, inner: 6, cols: 1 },
  { batchA: [3], batchB: [3], rows: 5, inner: 7, cols: 4 },
  { batchA: [3], batchB: [], rows: 4, inner: 6, cols: 5 },
  { batchA: [2], batchB: [1], rows: 3, inner: 8, cols: 6 },
];

const FLAGS = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const;

/**
 * Rank 2 only: Dense layers call _FusedMatMul on matrices, and tfjs 4.22's wasm kernel
 * already differs from cpu on batched products with a bias, with or without transposes.
 */
const FUSED_SHAPES: MatMulCase[] = [
  { batchA: [], batchB: [], rows: 6, inner: 5, cols: 7 },
  { batchA: [], batchB: [], rows: 1, inner: 8, cols: 9 },
];

const withFlags = (shapes: MatMulCase[]) =>
  shapes.flatMap((shape, i) =>
    FLAGS.map(([transposeA, transposeB]) => [i, transposeA, transposeB, shape] as const),
  );

const CASES = withFlags(SHAPES);

/** a and b laid out as the flags say: a transposed operand is stored [..., cols, rows]. */
function operands(
  c: MatMulCase,
  transposeA: boolean,
  transposeB: boolean,
  seed: number,
): [tf.Tensor, tf.Tensor] {
  const aShape = [...c.batchA, ...(transposeA ? [c.inner, c.rows] : [c.rows, c.inner])];
  const bShape = [...c.batchB, ...(transposeB ? [c.cols, c.inner] : [c.inner, c.cols])];
  return [
    tf.tensor(seededValues(size(aShape), seed), aShape),
    tf.tensor(seededValues(size(bShape), seed + 1), bShape),
  ];
}

function product(c: MatMulCase, transposeA: boolean, transposeB: boolean, seed: number) {
  return tf.tidy(() => {
    const [a, b] = operands(c, transposeA, transposeB, seed);
    const out = tf.matMul(a, b, transposeA, transposeB);
    return { shape: out.shape, values: out.dataSync() as Float32Array };
  });
}

function fusedProduct(c: MatMulCase, transposeA: boolean, transposeB: boolean, seed: number) {
  return tf.tidy(() => {
    const [a, b] = operands(c, transposeA, transposeB, seed);
    const bias = tf.tensor1d(seededValues(c.cols, seed + 2));
    const out = tf.fused.matMul({ a, b, transposeA, transposeB, bias, activation: 'relu' });
    return { shape: out.shape, values: out.dataSync() as Float32Array };
  });
}

/** A dense 12-16-5 network's loss gradients: the backward pass is transposed products. */
function denseGradients(): Float32Array[] {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [12], units: 16, activation: 'relu' }),
      tf.layers.dense({ units: 5, activation: 'softmax' }),
    ],
  });
  model.setWeights(
    model.getWeights().map((w, i) => tf.tensor(seededValues(w.size, 7 + i), w.shape)),
  );
  const grads = tf.tidy(() => {
    const x = tf.tensor2d(seededValues(9 * 12, 3), [9, 12]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2, 3], 'int32'), 5).toFloat();
    const { grads: byName } = tf.variableGrads(() =>
      tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor),
    );
    return model.trainableWeights.map((w) => byName[w.originalName]?.dataSync() as Float32Array);
  });
  model.dispose();
  return grads;
}

describe('BatchMatMul and _FusedMatMul on wasm (no transposed products)', () => {
  beforeAll(async () => {
    await selectTrainingBackend('wasm');
  });

  it('replaces both tfjs kernels once selectTrainingBackend chose wasm', () => {
    expect(isStratusWasmKernel('BatchMatMul')).toBe(true);
    expect(isStratusWasmKernel('_FusedMatMul')).toBe(true);
  });

  it.each(CASES)('shape %i, transposeA %s, transposeB %s matches cpu', async (i, ta, tb, c) => {
    const seed = 13 * (i + 1);
    const expected = await onBackend('cpu', () => product(c, ta, tb, seed));
    expect(tf.getBackend()).toBe('wasm');
    const actual = product(c, ta, tb, seed);
    expect(actual.shape).toEqual(expected.shape);
    expect(actual.shape.slice(-2)).toEqual([c.rows, c.cols]);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  });

  it.each(withFlags(FUSED_SHAPES))(
    'fused with bias and relu, shape %i, transposeA %s, transposeB %s matches cpu',
    async (i, ta, tb, c) => {
      const seed = 29 * (i + 1);
      const expected = await onBackend('cpu', () => fusedProduct(c, ta, tb, seed));
      const actual = fusedProduct(c, ta, tb, seed);
      expect(actual.shape).toEqual(expected.shape);
      expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-5);
      // relu zeroed some outputs and kept others: the activation and bias were applied.
      expect(expected.values.some((v) => v === 0)).toBe(true);
      expect(expected.values.some((v) => v > 0)).toBe(true);
    },
  );

  it('gives the cpu gradients of a small dense network', async () => {
    const expected = await onBackend('cpu', denseGradients);
    const actual = denseGradients();
    expect(actual).toHaveLength(4);
    actual.forEach((grad, i) => {
      expect(Math.max(...Array.from(expected[i] as Float32Array, Math.abs))).toBeGreaterThan(1e-3);
      expect(relativeError(grad, expected[i] as Float32Array)).toBeLessThan(1e-5);
    });
  });

  it('frees the transposed copies', () => {
    expectNoLeak(() => product(SHAPES[3] as MatMulCase, true, true, 1));
    expectNoLeak(() => fusedProduct(SHAPES[3] as MatMulCase, true, true, 1));
    expectNoLeak(() => product(SHAPES[1] as MatMulCase, true, false, 1));
  });
});
