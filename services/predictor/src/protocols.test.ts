/** TF Serving REST and KServe v2 on the same deployed models, including a tfjs graph model. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOSTON_EXAMPLES,
  IRIS_EXAMPLES,
  saveGraphModel,
  saveImageBundle,
  saveScaleModel,
  trainBoston,
  trainIris,
} from '@stratus/serving/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  type TestServer,
} from './predictor.test-support.js';

let f: PredictorFixture;
let server: TestServer;
beforeAll(async () => {
  f = await openPredictorFixture();
  const { storage } = f.trial;
  const iris = await trainIris(f.trial, 'gs://demo/jobs/iris_p');
  const boston = await trainBoston(f.trial, 'gs://demo/jobs/boston_p');
  await saveScaleModel(storage, 'gs://demo/scale/three', 3);
  await saveGraphModel(storage, 'gs://demo/graph/v1');
  await saveImageBundle(storage, 'gs://demo/image/v1');
  await storage.write('gs://demo/empty/readme.txt', 'nothing');
  server = await f.serve();
  expect((await f.deploy('iris', 'v1', iris)).state).toBe('READY');
  expect((await f.deploy('scale', 'v1', 'gs://demo/scale/three')).state).toBe('READY');
  expect((await f.deploy('boston', 'v1', boston)).state).toBe('READY');
  expect((await f.deploy('graph', 'v1', 'gs://demo/graph/v1')).state).toBe('READY');
  expect((await f.deploy('image', 'v1', 'gs://demo/image/v1')).state).toBe('READY');
  expect((await f.deploy('broken', 'bad', 'gs://demo/empty')).state).toBe('FAILED');
}, 120_000);
afterAll(() => f.close());

const editor = () => ({ token: f.tokens.editor });
const rows = IRIS_EXAMPLES.map((example) => example.instance);
const column = (name: keyof (typeof rows)[number]) => rows.map((row) => row[name]);
const labels = IRIS_EXAMPLES.map((example) => example.label);

describe('TensorFlow Serving REST', () => {
  it('reports model and version status, FAILED ones with their error', async () => {
    const status = await server.call('GET', '/v1/models/iris', { token: f.tokens.viewer });
    expect(status).toMatchObject({
      status: 200,
      body: {
        model_version_status: [
          // v1 reported as TF Serving's int64 version.
          { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
        ],
      },
    });
    const failed = await server.call('GET', '/v1/models/broken/versions/bad', {
      token: f.tokens.viewer,
    });
    expect(failed.body).toEqual({
      model_version_status: [
        {
          version: 'bad',
          state: 'END',
          status: {
            error_code: 'FAILED_PRECONDITION',
            error_message: 'Model bundle gs://demo/empty is invalid: model.json not found',
          },
        },
      ],
    });
    const missing = await server.call('GET', '/v1/models/nope', { token: f.tokens.viewer });
    expect(missing).toMatchObject({
      status: 404,
      body: { error: 'Model "projects/default/models/nope" not found' },
    });
  });

  it('addresses version v1 as 1 (int64, as TF Serving clients do) on every version route', async () => {
    const viewer = { token: f.tokens.viewer };
    for (const path of ['/v1/models/iris/versions/1', '/v1/models/iris/versions/001']) {
      expect(await server.call('GET', path, viewer)).toMatchObject({
        status: 200,
        body: { model_version_status: [{ version: '1', state: 'AVAILABLE' }] },
      });
    }
    const metadata = await server.call<{ model_spec: unknown }>(
      'GET',
      '/v1/models/iris/versions/1/metadata',
      viewer,
    );
    expect(metadata.body.model_spec).toEqual({ name: 'iris', signature_name: '', version: '1' });
    const predicted = await server.call<{ predictions: Array<{ label: string }> }>(
      'POST',
      '/v1/models/iris/versions/1:predict',
      { ...editor(), body: { instances: rows } },
    );
    expect(predicted.body.predictions.map((p) => p.label)).toEqual(labels);
    const classified = await server.call<{ result: unknown[] }>(
      'POST',
      '/v1/models/iris/versions/1:classify',
      { ...editor(), body: { examples: rows } },
    );
    expect([classified.status, classified.body.result]).toEqual([200, expect.any(Array)]);
    expect(classified.body.result).toHaveLength(rows.length);
    // A number no version is named after: the 404 names the version it looked for.
    expect(await server.call('GET', '/v1/models/iris/versions/2', viewer)).toMatchObject({
      status: 404,
      body: { error: 'Version "projects/default/models/iris/versions/v2" not found' },
    });
    expect(
      await server.call('POST', '/v1/models/iris/versions/2:predict', {
        ...editor(),
        body: { instances: rows },
      }),
    ).toMatchObject({ status: 404 });
  });

  it('addresses the default version as label stable on every version route; other labels are 404', async () => {
    const viewer = { token: f.tokens.viewer };
    expect(await server.call('GET', '/v1/models/iris/labels/stable', viewer)).toMatchObject({
      status: 200,
      body: { model_version_status: [{ version: '1', state: 'AVAILABLE' }] },
    });
    const metadata = await server.call<{ model_spec: unknown }>(
      'GET',
      '/v1/models/iris/labels/stable/metadata',
      viewer,
    );
    expect(metadata.body.model_spec).toEqual({ name: 'iris', signature_name: '', version: '1' });
    const predicted = await server.call<{ predictions: Array<{ label: string }> }>(
      'POST',
      '/v1/models/iris/labels/stable:predict',
      { ...editor(), body: { instances: rows } },
    );
    expect(predicted.body.predictions.map((p) => p.label)).toEqual(labels);
    const classified = await server.call<{ result: unknown[] }>(
      'POST',
      '/v1/models/iris/labels/stable:classify',
      { ...editor(), body: { examples: rows } },
    );
    expect([classified.status, classified.body.result]).toEqual([200, expect.any(Array)]);
    const regressed = await server.call<{ result: number[] }>(
      'POST',
      '/v1/models/boston/labels/stable:regress',
      { ...editor(), body: { examples: BOSTON_EXAMPLES } },
    );
    expect([regressed.status, regressed.body.result]).toEqual([200, expect.any(Array)]);
    const missing = {
      status: 404,
      body: {
        error:
          'Label "canary" of model "projects/default/models/iris" not found; its labels: stable',
      },
    };
    for (const [method, path] of [
      ['GET', '/v1/models/iris/labels/canary'],
      ['GET', '/v1/models/iris/labels/canary/metadata'],
      ['POST', '/v1/models/iris/labels/canary:predict'],
      ['POST', '/v1/models/iris/labels/canary:classify'],
      ['POST', '/v1/models/iris/labels/canary:regress'],
    ] as const) {
      const init =
        method === 'GET' ? viewer : { ...editor(), body: { instances: rows, examples: rows } };
      expect(await server.call(method, path, init), path).toMatchObject(missing);
    }
    expect(await server.call('GET', '/v1/models/nope/labels/stable', viewer)).toMatchObject({
      status: 404,
      body: { error: 'Model "projects/default/models/nope" not found' },
    });
  });

  it('describes the signature: raw features in, label and probabilities out', async () => {
    const { body } = await server.call<{
      model_spec: unknown;
      metadata: {
        signature_def: {
          signature_def: {
            serving_default: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
          };
        };
      };
    }>('GET', '/v1/models/iris/metadata', { token: f.tokens.viewer });
    expect(body.model_spec).toEqual({ name: 'iris', signature_name: '', version: '1' });
    const signature = body.metadata.signature_def.signature_def.serving_default;
    expect(Object.keys(signature.inputs)).toEqual([
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
    ]);
    expect(signature.outputs.probabilities).toEqual({
      dtype: 'DT_FLOAT',
      tensor_shape: {
        dim: [
          { size: '-1', name: '' },
          { size: '3', name: '' },
        ],
      },
      name: 'probabilities',
    });
  });

  it('predicts in row format (instances → predictions) and columnar format (inputs → outputs)', async () => {
    const row = await server.call<{ predictions: Array<{ label: string }> }>(
      'POST',
      '/v1/models/iris:predict',
      {
        ...editor(),
        body: { signature_name: 'serving_default', instances: rows },
      },
    );
    expect(row.body.predictions.map((p) => p.label)).toEqual(labels);
    const columnar = await server.call<{ outputs: { label: string[]; probabilities: unknown[] } }>(
      'POST',
      '/v1/models/iris/versions/v1:predict',
      {
        ...editor(),
        body: {
          inputs: {
            sepal_length: column('sepal_length'),
            sepal_width: column('sepal_width'),
            petal_length: column('petal_length'),
            petal_width: column('petal_width'),
          },
        },
      },
    );
    expect(columnar.body.outputs.label).toEqual(labels);
    expect(columnar.body.outputs.probabilities).toHaveLength(3);
    const raw = await server.call('POST', '/v1/models/scale:predict', {
      ...editor(),
      body: {
        instances: [
          [1, 2],
          [3, 4],
        ],
      },
    });
    expect(raw.body).toEqual({
      predictions: [
        [3, 6],
        [9, 12],
      ],
    });
    const rawColumns = await server.call('POST', '/v1/models/scale:predict', {
      ...editor(),
      body: { inputs: [[1, 2]] },
    });
    expect(rawColumns.body).toEqual({ outputs: [[3, 6]] });
  });

  it('answers errors as {"error": "..."} naming the instance', async () => {
    const cases: Array<[unknown, number, string]> = [
      [
        {
          instances: [
            [1, 2],
            [1, 2, 3],
          ],
        },
        400,
        'instances[1]: input "xy" is not rectangular: expected 2 elements at depth 0',
      ],
      [
        { instances: [[1, 'two']] },
        400,
        'instances[0]: input "xy" must be a finite number, got a string',
      ],
      [
        { instances: [[1, 2]], inputs: [[1, 2]] },
        400,
        'send exactly one of "instances" (row format) and "inputs" (columnar format)',
      ],
      [{ instance: [[1, 2]] }, 400, 'unknown field "instance"'],
    ];
    for (const [body, status, message] of cases) {
      const reply = await server.call<{ error: string }>('POST', '/v1/models/scale:predict', {
        ...editor(),
        body,
      });
      expect(reply.status).toBe(status);
      expect(reply.body.error).toContain(message);
    }
    const viewer = await server.call('POST', '/v1/models/scale:predict', {
      token: f.tokens.viewer,
      body: { instances: [[1, 2]] },
    });
    expect(viewer).toMatchObject({ status: 403 });
    const other = await server.call('POST', '/v1/models/scale:predict', {
      token: f.tokens.otherEditor,
      body: { instances: [[1, 2]] },
    });
    expect(other).toMatchObject({
      status: 404,
      body: { error: 'Model "projects/default/models/scale" not found' },
    });
    const anonymous = await server.call('GET', '/v1/models/scale');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="stratus"');
  });
});

describe('numeric bodies read straight from their bytes', () => {
  // `1e0` is 1 to JSON.parse but sends the body down the general path: each pair must answer alike.
  const pairs: Array<[string, string, string]> = [
    ['/v1/projects/default/models/scale:predict', '{"instances":[[1,2],[3,4]]}', '200'],
    ['/v1/models/scale:predict', ' {\n "instances" : [ [ 1 , 2.5 ] ] } ', '200'],
    ['/v1/projects/default/models/scale:predict', '{"instances":[1,2]}', '400'],
    ['/v1/projects/default/models/scale:predict', '{"instances":[[1,2,3]]}', '400'],
    ['/v1/models/scale:predict', '{"instances":[[[1],[2]]]}', '400'],
    ['/v1/projects/default/models/iris:predict', '{"instances":[[5.1,3.5,1.4,0.2]]}', '400'],
    [
      '/v1/projects/default/models/scale:predict',
      '{"instances":[{"xy":[1,2]},{"xy":[3,4]}]}',
      '200',
    ],
    ['/v1/projects/default/models/scale:predict', '{"instances":[{"yx":[1,2]}]}', '400'],
    ['/v1/projects/default/models/image:predict', '{"instances":[{"image":[1,1,1,0.9]}]}', '200'],
    [
      '/v1/models/image:predict',
      '{"instances":[{"image":[[0,0],[0.1,1]]},{"image":[1,1,1,1]}]}',
      '200',
    ],
    ['/v1/projects/default/models/image:predict', '{"instances":[{"image":[1,0,0]}]}', '400'],
    [
      '/v1/projects/default/models/image:predict',
      '{"instances":[{"image":[[[1],[0]],[[0],[0]]]}]}',
      '200',
    ],
    ['/v1/projects/default/models/iris:predict', '{"instances":[{"sepal_length":[1]}]}', '400'],
  ];

  it('answers as the JSON.parse path does: the same predictions, the same errors', async () => {
    for (const [path, body, status] of pairs) {
      const general = body.replace(/\b1\b/, '1e0');
      expect(general).not.toBe(body);
      const [fast, slow] = await Promise.all(
        [body, general].map((text) => server.call('POST', path, { ...editor(), body: text })),
      );
      expect(String(fast?.status), `${path} ${body}`).toBe(status);
      expect(fast?.body, `${path} ${body}`).toEqual(slow?.body);
    }
    const light = await server.call<{ predictions: Array<{ label: string }> }>(
      'POST',
      '/v1/projects/default/models/image:predict',
      { ...editor(), body: '{"instances":[{"image":[1,1,1,0.9]},{"image":[0,0,0.2,0]}]}' },
    );
    expect(light.body.predictions.map((prediction) => prediction.label)).toEqual(['light', 'dark']);
  });
});

describe('TensorFlow Serving Classify and Regress', () => {
  type Predictions = { predictions: Array<Record<string, unknown>> };
  const predictOn = async (model: string, instances: readonly unknown[]) =>
    (
      await server.call<Predictions>('POST', `/v1/models/${model}:predict`, {
        ...editor(),
        body: { instances },
      })
    ).body.predictions;

  it('classifies examples into [label, score] pairs: the :predict probabilities, every class', async () => {
    const { sepal_length, ...shared } = IRIS_EXAMPLES[0].instance;
    const reply = await server.call<{ result: Array<Array<[string, number]>> }>(
      'POST',
      '/v1/models/iris/versions/v1:classify',
      {
        ...editor(),
        // The first example takes three features from `context`, as TF Serving merges them.
        body: { context: shared, examples: [{ sepal_length }, rows[1], rows[2]] },
      },
    );
    expect(reply.status).toBe(200);
    const predicted = await predictOn('iris', rows);
    expect(reply.body.result).toEqual(
      predicted.map((prediction) => Object.entries(prediction.probabilities as object)),
    );
    const best = reply.body.result.map((pairs) => pairs.reduce((a, b) => (b[1] > a[1] ? b : a))[0]);
    expect(best).toEqual(labels);
    expect(reply.body.result[0]?.map(([label]) => label)).toEqual([
      'setosa',
      'versicolor',
      'virginica',
    ]);
  });

  it('regresses examples into the values :predict gives', async () => {
    const reply = await server.call<{ result: number[] }>('POST', '/v1/models/boston:regress', {
      ...editor(),
      body: { signature_name: 'serving_default', examples: BOSTON_EXAMPLES },
    });
    expect(reply.status).toBe(200);
    const predicted = await predictOn('boston', BOSTON_EXAMPLES);
    expect(reply.body.result).toEqual(predicted.map((prediction) => prediction.value));
    expect(reply.body.result).toHaveLength(2);
    expect(reply.body.result.every((value) => Number.isFinite(value))).toBe(true);
  });

  it('refuses the wrong kind of model and bad examples with 400 {"error": "..."}', async () => {
    const cases: Array<[string, unknown, string]> = [
      [
        '/v1/models/boston:classify',
        { examples: BOSTON_EXAMPLES },
        ':classify needs a Stratus classification model; this is a regression model (use :predict)',
      ],
      [
        '/v1/models/iris:regress',
        { examples: rows },
        ':regress needs a Stratus regression model; this is a classification model (use :predict)',
      ],
      [
        '/v1/models/scale:classify',
        { examples: [{ xy: [1, 2] }] },
        ':classify needs a Stratus classification model; this is a raw layers model (use :predict)',
      ],
      [
        '/v1/models/iris:classify',
        { examples: [rows[0], { ...rows[1], petal_width: 'wide' }] },
        'examples[1]: feature "petal_width" expects a number, got "wide"',
      ],
      ['/v1/models/iris:classify', { examples: [] }, 'examples: must be a non-empty list'],
      ['/v1/models/iris:classify', { examples: [[1, 2]] }, 'examples[0]: must be an object'],
      ['/v1/models/iris:classify', { instances: rows }, 'unknown field "instances"'],
    ];
    for (const [path, body, message] of cases) {
      const reply = await server.call<{ error: string }>('POST', path, { ...editor(), body });
      expect([reply.status, reply.body.error]).toEqual([400, expect.stringContaining(message)]);
    }
  });
});

describe('KServe v2 / Open Inference Protocol', () => {
  it('answers server liveness, readiness and metadata', async () => {
    const token = { token: f.tokens.viewer };
    // As a Kubernetes probe asks: no token.
    expect(await server.call('GET', '/v2/health/live')).toMatchObject({
      status: 200,
      body: { live: true },
    });
    expect(await server.call('GET', '/v2/health/ready')).toMatchObject({
      status: 200,
      body: { ready: true },
    });
    expect((await server.call('GET', '/v2', {})).status).toBe(401);
    expect((await server.call('GET', '/v2', token)).body).toMatchObject({
      name: 'stratus',
      extensions: ['binary_tensor_data'],
    });
  });

  it('describes models with input and output names, datatypes and shapes, and their readiness', async () => {
    const token = { token: f.tokens.viewer };
    // The trainer exported model.onnx, so the Iris bundle runs on ONNX Runtime (auto).
    expect((await server.call('GET', '/v2/models/iris', token)).body).toEqual({
      name: 'iris',
      versions: ['v1'],
      platform: 'onnxruntime_onnx',
      inputs: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'].map((name) => ({
        name,
        datatype: 'FP32',
        shape: [-1],
      })),
      outputs: [
        { name: 'label', datatype: 'BYTES', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
      ],
    });
    expect((await server.call('GET', '/v2/models/graph/versions/v1', token)).body).toEqual({
      name: 'graph',
      versions: ['v1'],
      platform: 'tensorflowjs_graph',
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'probs', datatype: 'FP32', shape: [-1, 3] }],
    });
    expect((await server.call('GET', '/v2/models/iris/ready', token)).body).toEqual({
      name: 'iris',
      ready: true,
    });
    const notReady = await server.call<{ error: string }>(
      'GET',
      '/v2/models/broken/versions/bad/ready',
      token,
    );
    expect([notReady.status, notReady.body.error]).toEqual([
      400,
      'Version "projects/default/models/broken/versions/bad" is FAILED, not READY',
    ]);
  });

  it('infers with typed tensors: one per raw feature for Stratus bundles', async () => {
    const reply = await server.call<{
      model_name: string;
      model_version: string;
      id: string;
      outputs: unknown[];
    }>('POST', '/v2/models/iris/infer', {
      ...editor(),
      body: {
        id: 'req-1',
        inputs: (['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const).map(
          (name) => ({
            name,
            shape: [3],
            datatype: 'FP32',
            data: column(name),
          }),
        ),
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ model_name: 'iris', model_version: 'v1', id: 'req-1' });
    expect(reply.body.outputs[0]).toEqual({
      name: 'label',
      shape: [3],
      datatype: 'BYTES',
      data: labels,
    });
    expect(reply.body.outputs[1]).toMatchObject({
      name: 'probabilities',
      shape: [3, 3],
      datatype: 'FP32',
    });
    const onlyLabel = await server.call<{ outputs: Array<{ name: string }> }>(
      'POST',
      '/v2/models/iris/infer',
      {
        ...editor(),
        body: {
          inputs: [{ name: 'petal_length', shape: [1, 1], datatype: 'FP32', data: [[1.4]] }],
          outputs: [{ name: 'label' }],
        },
      },
    );
    expect(onlyLabel.body.outputs.map((output) => output.name)).toEqual(['label']);
  });

  it('runs a tfjs graph model through KServe, Cloud ML and TF Serving alike', async () => {
    const infer = await server.call<{
      outputs: Array<{ name: string; shape: number[]; data: number[] }>;
    }>('POST', '/v2/models/graph/infer', {
      ...editor(),
      body: {
        inputs: [
          {
            name: 'x',
            shape: [2, 4],
            datatype: 'FP32',
            data: [
              [1, 0, 0, 0],
              [0, 0, 5, 0],
            ],
          },
        ],
      },
    });
    const [probs] = infer.body.outputs;
    expect(probs).toMatchObject({ name: 'probs', shape: [2, 3], datatype: 'FP32' });
    expect(probs?.data[0]).toBeGreaterThan(0.99);
    expect(probs?.data[5]).toBeGreaterThan(0.99);
    const cloud = await server.call<{ predictions: number[][] }>(
      'POST',
      '/v1/projects/default/models/graph:predict',
      {
        ...editor(),
        body: { instances: [{ x: [0, 1, 0, 0] }] },
      },
    );
    expect(cloud.body.predictions[0]?.[1]).toBeGreaterThan(0.99);
    const tfs = await server.call<{ predictions: number[][] }>('POST', '/v1/models/graph:predict', {
      ...editor(),
      body: { instances: [[0, 0, 0, 1]] },
    });
    expect(tfs.body.predictions[0]?.[0]).toBeGreaterThan(0.99);
  });

  it('refuses malformed tensors with 400 {"error": "..."}', async () => {
    const cases: Array<[unknown, string]> = [
      [
        { inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] },
        'inputs: "x" has shape [1, 3]; the model takes [-1, 4]',
      ],
      [
        { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2] }] },
        'inputs[0] (x): shape [1, 4] needs 4 elements, data has 2',
      ],
      [
        { inputs: [{ name: 'y', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }] },
        'inputs: unknown input "y"; the model takes x',
      ],
      [
        { inputs: [{ name: 'x', shape: [1, 4], datatype: 'BYTES', data: ['a', 'b', 'c', 'd'] }] },
        'inputs: "x" is BYTES; the model takes numbers',
      ],
      [
        { inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP99', data: [1, 2, 3, 4] }] },
        'inputs[0].datatype: "FP99" is not a KServe v2 datatype',
      ],
      [
        {
          inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] }],
          outputs: [{ name: 'logits' }],
        },
        'outputs: unknown output "logits"; the model returns probs',
      ],
    ];
    for (const [body, message] of cases) {
      const reply = await server.call<{ error: string }>('POST', '/v2/models/graph/infer', {
        ...editor(),
        body,
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe(`Invalid prediction request: ${message}`);
    }
    const stratus = await server.call<{ error: string }>('POST', '/v2/models/iris/infer', {
      ...editor(),
      body: {
        inputs: [{ name: 'petal_length', shape: [2], datatype: 'BYTES', data: ['long', 'short'] }],
      },
    });
    expect(stratus.body.error).toBe(
      'Invalid prediction request: inputs row 0: feature "petal_length" expects a number, got "long"',
    );
  });
});

describe('unmatched routes', () => {
  it('answer in the error shape of the protocol whose prefix they are under', async () => {
    const viewer = { token: f.tokens.viewer };
    for (const [method, path] of [
      ['GET', '/v1/models'],
      ['GET', '/v1/models/iris/versions/1/status'],
      ['GET', '/v1/models/iris/labels/stable/extra'],
      ['GET', '/v2/repository/index'],
      ['GET', '/v2/models/iris/versions/v1/stats'],
    ] as const) {
      expect(await server.call(method, path, viewer)).toMatchObject({
        status: 404,
        body: { error: `No route ${method} ${path}` },
      });
    }
    // A known path with another method: 405 with Allow, in the protocol's shape too.
    const wrongMethod = await server.call('GET', '/v2/models/iris/infer', viewer);
    expect([wrongMethod.status, wrongMethod.body, wrongMethod.headers.get('allow')]).toEqual([
      405,
      { error: 'Method GET is not allowed on /v2/models/iris/infer; allowed: POST' },
      'POST',
    ]);
    // Cloud ML's paths keep Google's shape.
    expect(await server.call('GET', '/v1/projects/default/models/iris:explain', viewer)).toEqual({
      status: 404,
      body: {
        error: {
          code: 404,
          status: 'NOT_FOUND',
          message: 'No route GET /v1/projects/default/models/iris:explain',
          details: expect.any(Array),
        },
      },
      headers: expect.anything(),
    });
  });
});
