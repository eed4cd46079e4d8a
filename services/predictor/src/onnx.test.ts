/** ONNX versions: PyTorch-exported graphs (fixtures/onnx) on ONNX Runtime through all three protocols. */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Storage } from '@stratus/storage';
import { saveScaleModel } from '@stratus/serving/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  type TestServer,
} from './predictor.test-support.js';

const FIXTURES = new URL('../fixtures/onnx/', import.meta.url);
interface Expected {
  readonly classifier: { features: number[][]; probabilities: number[][] };
  readonly two_inputs: { a: number[][]; b: number[][]; sum: number[][]; index: number[] };
  readonly sklearn_iris: { features: number[][]; label: number[]; probabilities: number[][] };
}
const LABELS = ['setosa', 'versicolor', 'virginica'];

/** Copy fixture files (paths under fixtures/onnx) into the bucket directory `uri`. */
const upload = async (storage: Storage, uri: string, files: Record<string, string>) => {
  for (const [name, path] of Object.entries(files)) {
    await storage.write(`${uri}/${name}`, await readFile(new URL(path, FIXTURES)));
  }
};

let f: PredictorFixture;
let server: TestServer;
let expected: Expected;

const deployOnnx = async (model: string, version: string, uri: string) => {
  const project = f.config.defaultProject;
  if ((await f.store.models.find(project, model)) === undefined) {
    await f.store.models.create(project, { name: model });
  }
  await f.store.versions.create(project, model, {
    name: version,
    deploymentUri: uri,
    framework: 'ONNX',
  });
  return f.waitForVersion(model, version);
};

beforeAll(async () => {
  f = await openPredictorFixture();
  expected = JSON.parse(await readFile(new URL('expected.json', FIXTURES), 'utf8')) as Expected;
  const { storage } = f.trial;
  await upload(storage, 'gs://demo/onnx/classifier', {
    'model.onnx': 'classifier/model.onnx',
    'signature.json': 'classifier/signature.json',
  });
  await upload(storage, 'gs://demo/onnx/plain', { 'model.onnx': 'classifier/model.onnx' });
  await upload(storage, 'gs://demo/onnx/two', { 'model.onnx': 'two_inputs/model.onnx' });
  const graph = await readFile(new URL('two_inputs/model.onnx', FIXTURES));
  await storage.write('gs://demo/onnx/corrupt/model.onnx', graph.subarray(0, graph.length - 40));
  await upload(storage, 'gs://demo/onnx/mislabelled', { 'model.onnx': 'classifier/model.onnx' });
  await storage.write(
    'gs://demo/onnx/mislabelled/signature.json',
    JSON.stringify({ outputs: { probabilities: { labels: ['a', 'b'] } } }),
  );
  await upload(storage, 'gs://demo/onnx/renamed', { 'model.onnx': 'two_inputs/model.onnx' });
  await storage.write(
    'gs://demo/onnx/renamed/signature.json',
    JSON.stringify({ inputs: { a: { name: 'left' } }, outputs: { sum: { name: 'total' } } }),
  );
  await upload(storage, 'gs://demo/onnx/unknown', { 'model.onnx': 'two_inputs/model.onnx' });
  await storage.write(
    'gs://demo/onnx/unknown/signature.json',
    JSON.stringify({ inputs: { x: { name: 'left' } } }),
  );
  await upload(storage, 'gs://demo/onnx/sklearn', { 'model.onnx': 'sklearn_iris/model.onnx' });
  await saveScaleModel(storage, 'gs://demo/scale/three', 3);
  server = await f.serve();
  expect((await f.deploy('scale', 'v1', 'gs://demo/scale/three')).state).toBe('READY');
  expect((await deployOnnx('flowers', 'v1', 'gs://demo/onnx/classifier')).state).toBe('READY');
  expect((await deployOnnx('flowers', 'plain', 'gs://demo/onnx/plain')).state).toBe('READY');
  expect((await deployOnnx('two', 'v1', 'gs://demo/onnx/two')).state).toBe('READY');
  expect((await deployOnnx('renamed', 'v1', 'gs://demo/onnx/renamed')).state).toBe('READY');
  expect((await deployOnnx('sklearn', 'v1', 'gs://demo/onnx/sklearn')).state).toBe('READY');
}, 60_000);
afterAll(() => f.close());

const editor = () => ({ token: f.tokens.editor });
const closeTo = (actual: number[][], wanted: number[][]) => {
  expect(actual).toHaveLength(wanted.length);
  actual.forEach((row, i) =>
    row.forEach((value, j) => expect(Math.abs(value - (wanted[i]?.[j] ?? NaN))).toBeLessThan(1e-5)),
  );
};
const argmax = (row: number[]) => row.indexOf(Math.max(...row));

describe('framework: ONNX versions', () => {
  it('answers Cloud ML :predict with what PyTorch computed, labelled by signature.json', async () => {
    const reply = await server.call<{
      predictions: Array<{ label: string; probabilities: Record<string, number> }>;
    }>('POST', '/v1/projects/default/models/flowers:predict', {
      ...editor(),
      body: { instances: expected.classifier.features },
    });
    expect(reply.status).toBe(200);
    const { predictions } = reply.body;
    expect(Object.keys(predictions[0]?.probabilities ?? {})).toEqual(LABELS);
    closeTo(
      predictions.map((p) => LABELS.map((label) => p.probabilities[label] ?? NaN)),
      expected.classifier.probabilities,
    );
    expect(predictions.map((p) => p.label)).toEqual(
      expected.classifier.probabilities.map((row) => LABELS[argmax(row)]),
    );
    // Without signature.json the output is the raw row.
    const plain = await server.call<{ predictions: number[][] }>(
      'POST',
      '/v1/projects/default/models/flowers/versions/plain:predict',
      { ...editor(), body: { instances: [{ features: expected.classifier.features[0] }] } },
    );
    expect(plain.status).toBe(200);
    closeTo(plain.body.predictions, expected.classifier.probabilities.slice(0, 1));
  });

  it('takes named inputs and answers every output, int64 as integers', async () => {
    const { a, b, sum, index } = expected.two_inputs;
    const reply = await server.call<{ predictions: Array<{ sum: number[]; index: number }> }>(
      'POST',
      '/v1/projects/default/models/two:predict',
      { ...editor(), body: { instances: a.map((row, i) => ({ a: row, b: b[i] })) } },
    );
    expect(reply.status).toBe(200);
    closeTo(
      reply.body.predictions.map((p) => p.sum),
      sum,
    );
    expect(reply.body.predictions.map((p) => p.index)).toEqual(index);
  });

  it('serves TF Serving :predict (rows and columns) and metadata from the graph', async () => {
    const { a, b, sum, index } = expected.two_inputs;
    const columns = await server.call<{ outputs: { sum: number[][]; index: number[] } }>(
      'POST',
      '/v1/models/two:predict',
      { ...editor(), body: { inputs: { a, b } } },
    );
    expect(columns.status).toBe(200);
    closeTo(columns.body.outputs.sum, sum);
    expect(columns.body.outputs.index).toEqual(index);
    const rows = await server.call<{
      outputs: { label: string[]; probabilities: Array<Record<string, number>> };
    }>('POST', '/v1/models/flowers:predict', {
      ...editor(),
      body: { inputs: expected.classifier.features },
    });
    expect(rows.status).toBe(200);
    closeTo(
      rows.body.outputs.probabilities.map((p) => LABELS.map((label) => p[label] ?? NaN)),
      expected.classifier.probabilities,
    );
    expect(rows.body.outputs.label).toHaveLength(3);

    const { body } = await server.call<{
      metadata: {
        signature_def: {
          signature_def: {
            serving_default: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
          };
        };
      };
    }>('GET', '/v1/models/two/metadata', { token: f.tokens.viewer });
    const signature = body.metadata.signature_def.signature_def.serving_default;
    const dims = (...sizes: number[]) => ({
      dim: sizes.map((size) => ({ size: String(size), name: '' })),
    });
    expect(signature.inputs).toEqual({
      a: { dtype: 'DT_FLOAT', tensor_shape: dims(-1, 3), name: 'a' },
      b: { dtype: 'DT_FLOAT', tensor_shape: dims(-1, 2), name: 'b' },
    });
    expect(signature.outputs).toEqual({
      sum: { dtype: 'DT_FLOAT', tensor_shape: dims(-1, 3), name: 'sum' },
      index: { dtype: 'DT_INT32', tensor_shape: dims(-1), name: 'index' },
    });
  });

  it('names inputs and outputs as signature.json says', async () => {
    const { a, b, sum } = expected.two_inputs;
    const reply = await server.call<{ predictions: Array<{ total: number[]; index: number }> }>(
      'POST',
      '/v1/projects/default/models/renamed:predict',
      { ...editor(), body: { instances: a.map((row, i) => ({ left: row, b: b[i] })) } },
    );
    expect(reply.status).toBe(200);
    closeTo(
      reply.body.predictions.map((p) => p.total),
      sum,
    );
    const meta = await server.call<{
      inputs: Array<{ name: string }>;
      outputs: Array<{ name: string }>;
    }>('GET', '/v2/models/renamed', { token: f.tokens.viewer });
    expect(meta.body.inputs.map((input) => input.name)).toEqual(['left', 'b']);
    expect(meta.body.outputs.map((output) => output.name)).toEqual(['total', 'index']);
    const old = await server.call<{ error: { message: string } }>(
      'POST',
      '/v1/projects/default/models/renamed:predict',
      { ...editor(), body: { instances: [{ a: a[0], b: b[0] }] } },
    );
    expect(old.status).toBe(400);
  });

  it('serves KServe v2 infer and metadata', async () => {
    const meta = await server.call('GET', '/v2/models/two/versions/v1', { token: f.tokens.viewer });
    expect(meta.body).toEqual({
      name: 'two',
      versions: ['v1'],
      platform: 'onnxruntime_onnx',
      inputs: [
        { name: 'a', datatype: 'FP32', shape: [-1, 3] },
        { name: 'b', datatype: 'FP32', shape: [-1, 2] },
      ],
      outputs: [
        { name: 'sum', datatype: 'FP32', shape: [-1, 3] },
        { name: 'index', datatype: 'INT32', shape: [-1] },
      ],
    });
    const { a, b, sum, index } = expected.two_inputs;
    const infer = await server.call<{
      outputs: Array<{ name: string; shape: number[]; datatype: string; data: number[] }>;
    }>('POST', '/v2/models/two/infer', {
      ...editor(),
      body: {
        inputs: [
          { name: 'a', shape: [2, 3], datatype: 'FP32', data: a.flat() },
          { name: 'b', shape: [2, 2], datatype: 'FP32', data: b.flat() },
        ],
      },
    });
    expect(infer.status).toBe(200);
    const [sumOut, indexOut] = infer.body.outputs;
    expect(sumOut).toMatchObject({ name: 'sum', shape: [2, 3], datatype: 'FP32' });
    closeTo([sumOut?.data ?? []], [sum.flat()]);
    expect(indexOut).toMatchObject({ name: 'index', shape: [2], datatype: 'INT32', data: index });
  });

  it('serves a scikit-learn pipeline (ONNX-ML Scaler + LinearClassifier) on all three protocols', async () => {
    const { features, label, probabilities } = expected.sklearn_iris;
    const cloud = await server.call<{
      predictions: Array<{ label: number; probabilities: number[] }>;
    }>('POST', '/v1/projects/default/models/sklearn:predict', {
      ...editor(),
      body: { instances: features },
    });
    expect(cloud.status).toBe(200);
    expect(cloud.body.predictions.map((p) => p.label)).toEqual(label);
    closeTo(
      cloud.body.predictions.map((p) => p.probabilities),
      probabilities,
    );
    const tfs = await server.call<{
      predictions: Array<{ label: number; probabilities: number[] }>;
    }>('POST', '/v1/models/sklearn:predict', { ...editor(), body: { instances: features } });
    expect(tfs.status).toBe(200);
    expect(tfs.body.predictions.map((p) => p.label)).toEqual(label);
    const infer = await server.call<{
      outputs: Array<{ name: string; shape: number[]; datatype: string; data: unknown[] }>;
    }>('POST', '/v2/models/sklearn/infer', {
      ...editor(),
      body: {
        inputs: [{ name: 'features', shape: [3, 4], datatype: 'FP32', data: features.flat() }],
      },
    });
    expect(infer.status).toBe(200);
    const byName = new Map(infer.body.outputs.map((output) => [output.name, output]));
    expect(byName.get('label')).toMatchObject({ shape: [3], datatype: 'INT32', data: label });
    expect(byName.get('probabilities')).toMatchObject({ shape: [3, 3], datatype: 'FP32' });
  });

  it('refuses bad input with a 400 naming the instance and input', async () => {
    const cases: Array<[string, unknown, string]> = [
      [
        '/v1/projects/default/models/flowers:predict',
        {
          instances: [
            [1, 2, 3, 4],
            [1, 2, 3],
          ],
        },
        'instances[1]: input "features" is not rectangular: expected 4 elements at depth 0',
      ],
      [
        '/v1/projects/default/models/two:predict',
        { instances: [{ a: [1, 2, 3] }] },
        'instances[0]: missing input "b"',
      ],
    ];
    for (const [path, body, message] of cases) {
      const reply = await server.call<{ error: { message: string } }>('POST', path, {
        ...editor(),
        body,
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error.message).toBe(`Invalid prediction request: ${message}`);
    }
    const tfs = await server.call<{ error: string }>('POST', '/v1/models/two:predict', {
      ...editor(),
      body: { instances: [{ a: [1, 2, 3], b: [1, 'x'] }] },
    });
    expect(tfs.status).toBe(400);
    expect(tfs.body.error).toBe(
      'Invalid prediction request: instances[0]: input "b" must be a finite number, got a string',
    );
  });

  it('ends a corrupt model.onnx or a wrong signature.json FAILED while the others serve', async () => {
    const corrupt = await deployOnnx('two', 'corrupt', 'gs://demo/onnx/corrupt');
    expect(corrupt.state).toBe('FAILED');
    expect(corrupt.errorMessage).toMatch(
      /^Model bundle gs:\/\/demo\/onnx\/corrupt is invalid: ONNX Runtime cannot load model\.onnx: /,
    );
    const mislabelled = await deployOnnx('flowers', 'bad', 'gs://demo/onnx/mislabelled');
    expect(mislabelled).toMatchObject({
      state: 'FAILED',
      errorMessage:
        'Model bundle gs://demo/onnx/mislabelled is invalid: signature.json gives output "probabilities" 2 labels but its rows are [3]',
    });
    const unknown = await deployOnnx('two', 'unknown', 'gs://demo/onnx/unknown');
    expect(unknown).toMatchObject({
      state: 'FAILED',
      errorMessage:
        'Model bundle gs://demo/onnx/unknown is invalid: signature.json names input "x" but the graph has "a", "b"',
    });
    const tfjsOnly = await deployOnnx('flowers', 'tfjs', 'gs://demo/scale/three');
    expect(tfjsOnly).toMatchObject({
      state: 'FAILED',
      errorMessage: 'Model bundle gs://demo/scale/three is invalid: model.onnx not found',
    });
    for (const [path, body] of [
      ['/v1/projects/default/models/two:predict', { instances: [{ a: [1, 2, 3], b: [1, 2] }] }],
      ['/v1/projects/default/models/scale:predict', { instances: [[1, 2]] }],
    ] as const) {
      expect((await server.call('POST', path, { ...editor(), body })).status).toBe(200);
    }
  });

  it('runs ONNX on executor threads too', async () => {
    const threaded = await f.serve({ threads: 1 });
    const reply = await threaded.call<{
      predictions: Array<{ probabilities: Record<string, number> }>;
    }>('POST', '/v1/projects/default/models/flowers:predict', {
      ...editor(),
      body: { instances: expected.classifier.features },
    });
    expect(reply.status).toBe(200);
    closeTo(
      reply.body.predictions.map((p) => LABELS.map((label) => p.probabilities[label] ?? NaN)),
      expected.classifier.probabilities,
    );
    await threaded.close();
  });

  it('keeps ONNX sessions and tfjs tensors flat over 10,000 requests', async () => {
    const path = '/v1/projects/default/models/two:predict';
    const body = { instances: [{ a: [1, 2, 3], b: [4, 5] }] };
    expect((await server.call('POST', path, { ...editor(), body })).status).toBe(200);
    const [before] = await server.predictor.memory();
    for (let round = 0; round < 100; round += 1) {
      const replies = await Promise.all(
        Array.from({ length: 100 }, () => server.call('POST', path, { ...editor(), body })),
      );
      expect(replies.every((reply) => reply.status === 200)).toBe(true);
    }
    const [after] = await server.predictor.memory();
    expect(after).toEqual(before);
    // flowers v1 and plain, two, renamed, sklearn.
    expect(after?.onnxSessions).toBe(5);
  }, 120_000);
});
