/** The ONNX export of the built-in models: ONNX Runtime answers what tfjs answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@stratus/bundle';
import { buildModel, type ModelOptions } from '../algorithms/build-model.js';
import { inMemorySplit } from '../data/data-split.js';
import { trialFixture, type TrialFixture } from '../trial/trial-fixture.test-support.js';
import { onnxModelBytes } from './onnx-graph.js';
import { PARITY_TOLERANCE, checkParity, exportOnnx } from './onnx-export.js';

let fixture: TrialFixture;
beforeAll(async () => {
  fixture = await trialFixture();
});
afterAll(() => fixture.cleanup());

const options = (overrides: Partial<ModelOptions>): ModelOptions => ({
  kind: 'dnn',
  task: 'classification',
  inputShape: [4],
  classes: 3,
  hiddenUnits: [16, 8],
  dropout: 0.2,
  l2: 0,
  learningRate: 0.01,
  optimizer: 'adam',
  ...overrides,
});

/** Seeded rows in [-2, 2) for a model of input shape `shape`. */
const rowsFor = (shape: readonly number[], rows: number, seed = 1): Float32Array => {
  let state = seed;
  const values = new Float32Array(rows * shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i += 1) {
    state = (state * 1103515245 + 12345) % 2147483648;
    values[i] = (state / 2147483648) * 4 - 2;
  }
  return values;
};

describe('onnxModelBytes', () => {
  it.each([
    ['dnn classifier with dropout', options({})],
    ['linear regressor', options({ kind: 'linear', task: 'regression', classes: 1 })],
    [
      'cnn classifier (the image_classifier shape)',
      options({ kind: 'cnn', inputShape: [28, 28, 1], classes: 10, hiddenUnits: [32] }),
    ],
    [
      'cnn on odd-sized rgb images',
      options({ kind: 'cnn', inputShape: [9, 7, 3], classes: 4, hiddenUnits: [8] }),
    ],
  ])('%s: ONNX Runtime within 1e-5 of tfjs, same argmax', async (_, modelOptions) => {
    const model = buildModel(modelOptions);
    try {
      const bytes = onnxModelBytes(model);
      const rows = 64;
      const parity = await checkParity(
        bytes,
        model,
        rowsFor(modelOptions.inputShape, rows),
        [rows, ...modelOptions.inputShape],
        modelOptions.task === 'classification',
      );
      expect(parity.rows).toBe(rows);
      expect(parity.maxDelta).toBeLessThanOrEqual(PARITY_TOLERANCE);
      expect(parity.argmaxMismatch).toBeUndefined();
    } finally {
      model.dispose();
    }
  });

  it('finds a graph that answers differently', async () => {
    const a = buildModel(options({}));
    const b = buildModel(options({}));
    try {
      const parity = await checkParity(onnxModelBytes(a), b, rowsFor([4], 32), [32, 4], true);
      expect(parity.maxDelta).toBeGreaterThan(PARITY_TOLERANCE);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

describe('exportOnnx', () => {
  const run = async (model: tf.LayersModel, modelDir: string, inputShape: number[]) => {
    const logs: Array<[string, string]> = [];
    const written = await exportOnnx({
      storage: fixture.storage,
      modelDir,
      model,
      rows: inMemorySplit(rowsFor(inputShape, 10), new Float32Array(10 * 3), inputShape, 3),
      classification: true,
      log: (severity, message) => logs.push([severity, message]),
    });
    return { written, logs, exists: await fixture.storage.exists(`${modelDir}/model.onnx`) };
  };

  it('writes model.onnx beside model.json when parity holds', async () => {
    const model = buildModel(options({}));
    const result = await run(model, 'gs://demo/export/dnn', [4]);
    model.dispose();
    expect(result).toMatchObject({ written: true, exists: true });
    expect(result.logs[0]?.[0]).toBe('INFO');
    expect(result.logs[0]?.[1]).toMatch(
      /^ONNX export: model\.onnx written \(\d+ bytes; on 10 rows/,
    );
  });

  it('keeps a model it cannot translate tfjs-only and logs why', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 5, activation: 'tanh' }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const result = await run(model, 'gs://demo/export/tanh', [4]);
    expect(result).toEqual({
      written: false,
      exists: false,
      logs: [
        [
          'WARNING',
          'ONNX export skipped, the bundle serves on TensorFlow.js only: activation "tanh" has no ONNX translation here',
        ],
      ],
    });
    const normalized = tf.sequential({
      layers: [
        tf.layers.batchNormalization({ inputShape: [4] }),
        tf.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const other = await run(normalized, 'gs://demo/export/bn', [4]);
    expect(other.written).toBe(false);
    expect(other.logs[0]?.[1]).toMatch(
      /layer BatchNormalization \("batch_normalization\w*"\) has no ONNX translation here$/,
    );
    model.dispose();
    normalized.dispose();
  });
});
