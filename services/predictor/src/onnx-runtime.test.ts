/**
 * Stratus-trained bundles (Iris, an MNIST MLP, the MNIST CNN) carry the
 * model.onnx the trainer exported: served on ONNX Runtime they answer the
 * labels TensorFlow.js answers, probabilities within 1e-5.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mnistPixels, runTrial, trialSpec, writeMnistFolder } from '@stratus/trainer/testing';
import { IRIS_EXAMPLES, trainIris } from '@stratus/serving/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  type TestServer,
} from './predictor.test-support.js';

interface Classified {
  readonly label: string;
  readonly probabilities: Record<string, number>;
}

let f: PredictorFixture;
let server: TestServer;
const bundles: Record<string, string> = {};
const exportLogs: string[] = [];

/** A CSV of MNIST pixels (784 numeric columns) and the digit: what the MLP trains on. */
const mnistCsv = (digits: readonly number[], perDigit: number): string => {
  const header = [...Array.from({ length: 784 }, (_, i) => `p${i}`), 'digit'].join(',');
  const lines = [header];
  for (let i = 0; i < perDigit; i += 1) {
    for (const digit of digits) lines.push([...mnistPixels(digit, i), `d${digit}`].join(','));
  }
  return lines.join('\n');
};

const train = async (jobDir: string, algorithm: Record<string, unknown>): Promise<string> => {
  const context = f.trial.context();
  const result = await runTrial(
    trialSpec({ jobDir, builtinAlgorithm: algorithm as never }),
    context,
  );
  exportLogs.push(
    ...context.reporter.recorded.logs
      .filter((log) => log.message.startsWith('ONNX export'))
      .map((log) => `${log.severity} ${log.message}`),
  );
  return result.modelDir;
};

beforeAll(async () => {
  f = await openPredictorFixture();
  const { storage } = f.trial;
  bundles.iris = await trainIris(f.trial, 'gs://demo/jobs/iris_onnx');
  await storage.write('gs://demo/mnist.csv', mnistCsv([0, 1, 7], 30));
  bundles.mlp = await train('gs://demo/jobs/mlp', {
    name: 'dnn_classifier',
    trainingData: 'gs://demo/mnist.csv',
    labelColumn: 'digit',
    hiddenUnits: [256, 128],
    epochs: 2,
    seed: 3,
  });
  await writeMnistFolder(storage, 'gs://demo/mnist/', [0, 1, 7], 20);
  bundles.cnn = await train('gs://demo/jobs/cnn', {
    name: 'image_classifier',
    trainingData: 'gs://demo/mnist/',
    epochs: 1,
    batchSize: 16,
    seed: 1,
  });
  // tfjs unless a version says framework ONNX.
  server = await f.serve({ runtime: 'tfjs' });
  const project = f.config.defaultProject;
  for (const [model, uri] of Object.entries(bundles)) {
    await f.store.models.create(project, { name: model });
    await f.store.versions.create(project, model, { name: 'tf', deploymentUri: uri });
    await f.store.versions.create(project, model, {
      name: 'ox',
      deploymentUri: uri,
      framework: 'ONNX',
    });
    for (const version of ['tf', 'ox']) {
      expect((await f.waitForVersion(model, version, 60_000)).state).toBe('READY');
    }
  }
}, 300_000);
afterAll(() => f.close());

const predict = async (model: string, version: string, instances: unknown[]) => {
  const reply = await server.call<{ predictions: Classified[] }>(
    'POST',
    `/v1/projects/default/models/${model}/versions/${version}:predict`,
    { token: f.tokens.editor, body: { instances } },
  );
  expect(reply.status).toBe(200);
  return reply.body.predictions;
};

describe('Stratus bundles on ONNX Runtime', () => {
  it('the trainer exported each model after its parity check', () => {
    expect(exportLogs).toHaveLength(2);
    for (const line of exportLogs) expect(line).toMatch(/^INFO ONNX export: model\.onnx written/);
  });

  const pixels = (digit: number, index: number) => mnistPixels(digit, 40 + index);
  it.each([
    ['iris', () => IRIS_EXAMPLES.map((example) => example.instance)],
    [
      'mlp',
      () =>
        [0, 1, 7, 7, 1].map((digit, i) =>
          Object.fromEntries(pixels(digit, i).map((value, j) => [`p${j}`, value])),
        ),
    ],
    ['cnn', () => [0, 1, 7, 0, 7].map((digit, i) => ({ image: pixels(digit, i) }))],
  ])('%s: same labels as tfjs, probabilities within 1e-5', async (model, instances) => {
    const rows = instances();
    const [tfjs, onnx] = await Promise.all([
      predict(model, 'tf', rows),
      predict(model, 'ox', rows),
    ]);
    expect(onnx.map((p) => p.label)).toEqual(tfjs.map((p) => p.label));
    tfjs.forEach((prediction, i) => {
      for (const [label, probability] of Object.entries(prediction.probabilities)) {
        expect(Math.abs((onnx[i]?.probabilities[label] ?? NaN) - probability)).toBeLessThanOrEqual(
          1e-5,
        );
      }
    });
    const meta = await server.call<{ platform: string }>('GET', `/v2/models/${model}/versions/ox`, {
      token: f.tokens.viewer,
    });
    expect(meta.body.platform).toBe('onnxruntime_onnx');
    const tf = await server.call<{ platform: string }>('GET', `/v2/models/${model}/versions/tf`, {
      token: f.tokens.viewer,
    });
    expect(tf.body.platform).toBe('tensorflowjs_stratus');
  });

  it('STRATUS_PREDICT_RUNTIME=onnx refuses a bundle without model.onnx; auto runs it on tfjs', async () => {
    // Only the server under test may load (and report) the version.
    await server.close();
    const { storage } = f.trial;
    for (const name of ['model.json', 'stratus.json']) {
      await storage.copy(`${bundles.iris}/${name}`, `gs://demo/tfjs_only/${name}`);
    }
    for await (const object of storage.listAll(`${bundles.iris}/`)) {
      if (object.uri.endsWith('.bin')) {
        await storage.copy(object.uri, `gs://demo/tfjs_only/${object.uri.split('/').pop() ?? ''}`);
      }
    }
    const onnxOnly = await f.serve({ runtime: 'onnx' });
    const project = f.config.defaultProject;
    await f.store.models.create(project, { name: 'plain' });
    await f.store.versions.create(project, 'plain', {
      name: 'v1',
      deploymentUri: 'gs://demo/tfjs_only',
    });
    const failed = await f.waitForVersion('plain', 'v1');
    expect(failed).toMatchObject({
      state: 'FAILED',
      errorMessage: 'Model bundle gs://demo/tfjs_only is invalid: model.onnx not found',
    });
    await onnxOnly.close();
    const auto = await f.serve({ runtime: 'auto' });
    await f.store.versions.create(project, 'plain', {
      name: 'v2',
      deploymentUri: 'gs://demo/tfjs_only',
    });
    expect((await f.waitForVersion('plain', 'v2')).state).toBe('READY');
    const meta = await auto.call<{ platform: string }>('GET', '/v2/models/plain/versions/v2', {
      token: f.tokens.viewer,
    });
    expect(meta.body.platform).toBe('tensorflowjs_stratus');
    const onIris = await auto.call<{ platform: string }>('GET', '/v2/models/iris/versions/tf', {
      token: f.tokens.viewer,
    });
    expect(onIris.body.platform).toBe('onnxruntime_onnx');
    await auto.close();
  });
});
