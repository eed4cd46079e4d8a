/**
 * End to end in one process (the all-in-one shape): train Iris, deploy it
 * from the job, predict; bundles that must fail; default switches under load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Operation, Version } from '@stratus/spec';
import {
  IRIS_EXAMPLES,
  openPredictorFixture,
  type PredictorFixture,
  saveScaleModel,
  type TestServer,
  trainIris,
  truncateShard,
} from '@stratus/predictor/testing';
import { inApi } from './support/predictor-in-api.js';

let f: PredictorFixture;
let server: TestServer;
let irisDir: string;
beforeAll(async () => {
  f = await openPredictorFixture();
  irisDir = await trainIris(f.trial, 'gs://demo/jobs/iris_1');
  server = await f.serve({}, undefined, inApi);
}, 120_000);
afterAll(() => f.close());

const p = '/v1/projects/default';

/** Store a SUCCEEDED single-trial job whose model is `modelDir` (what a worker leaves behind). */
const succeededJob = async (jobId: string, modelDir: string): Promise<void> => {
  const { store } = f;
  await store.jobs.create('default', {
    jobId,
    trainingInput: {
      jobDir: `gs://demo/jobs/${jobId}`,
      builtinAlgorithm: {
        name: 'dnn_classifier',
        trainingData: 'gs://demo/data/iris.csv',
        labelColumn: 'species',
      },
    },
  });
  await store.trials.create('default', jobId, [{ trialId: '1', hyperparameters: {} }]);
  await store.jobs.transition('default', jobId, { from: ['QUEUED'], to: 'PREPARING' });
  await store.jobs.transition('default', jobId, { from: ['PREPARING'], to: 'RUNNING' });
  await store.trials.recordResult('default', jobId, '1', { state: 'SUCCEEDED', modelDir });
  await store.jobs.transition('default', jobId, { from: ['RUNNING'], to: 'SUCCEEDED' });
};

const waitForOperation = async (name: string): Promise<Operation> => {
  for (let i = 0; i < 600; i += 1) {
    const { body } = await server.call<Operation>('GET', `/v1/${name}`, { token: f.tokens.viewer });
    if (body.done) return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`operation ${name} did not finish`);
};

describe('deploy a trained model and predict', () => {
  it('trains Iris, deploys it from the job (sourceJob), and labels the three classic examples', async () => {
    await succeededJob('iris_job', irisDir);
    const editor = { token: f.tokens.editor };
    expect(
      (await server.call('POST', `${p}/models`, { ...editor, body: { name: 'iris' } })).status,
    ).toBe(200);
    const created = await server.call<Operation>('POST', `${p}/models/iris/versions`, {
      ...editor,
      body: { name: 'v1', sourceJob: { jobId: 'iris_job' } },
    });
    expect(created.status).toBe(200);
    expect(created.body.done).toBe(false);
    const done = await waitForOperation(created.body.name);
    expect(done.error).toBeUndefined();
    expect(done.response).toMatchObject({
      state: 'READY',
      deploymentUri: irisDir,
      isDefault: true,
    });

    const predicted = await server.call<{
      predictions: Array<{ label: string; probabilities: Record<string, number> }>;
    }>('POST', `${p}/models/iris:predict`, {
      ...editor,
      body: { instances: IRIS_EXAMPLES.map((example) => example.instance) },
    });
    expect(predicted.status).toBe(200);
    expect(predicted.body.predictions.map((prediction) => prediction.label)).toEqual(
      IRIS_EXAMPLES.map((example) => example.label),
    );
    const [setosa] = predicted.body.predictions;
    expect(Object.keys(setosa?.probabilities ?? {}).sort()).toEqual([
      'setosa',
      'versicolor',
      'virginica',
    ]);
    expect(Object.values(setosa?.probabilities ?? {}).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // The version names its model too, and lastUseTime records the use.
    const byVersion = await server.call<{ predictions: unknown[] }>(
      'POST',
      `${p}/models/iris/versions/v1:predict`,
      {
        ...editor,
        body: { instances: [IRIS_EXAMPLES[2].instance] },
      },
    );
    expect(byVersion.body.predictions).toEqual([predicted.body.predictions[2]]);
    const version = await f.store.versions.get('default', 'iris', 'v1');
    expect(version.lastUseTime).toBeDefined();
  });

  it('refuses bad instances with 400 naming the instance and field', async () => {
    const ask = (instances: unknown[]) =>
      server.call<{ error: { message: string } }>('POST', `${p}/models/iris:predict`, {
        token: f.tokens.editor,
        body: { instances },
      });
    const [good] = IRIS_EXAMPLES;
    const cases: Array<[unknown[], string]> = [
      [
        [good.instance, { ...good.instance, sepal_length: 'long' }],
        'instances[1]: feature "sepal_length" expects a number, got "long"',
      ],
      [
        [good.instance, good.instance, { ...good.instance, sepal_lenght: 5 }],
        'instances[2]: unknown feature "sepal_lenght"',
      ],
      [[[5.1, 3.5, 1.4, 0.2]], 'instances[0]: must be an object of feature values'],
    ];
    for (const [instances, message] of cases) {
      const reply = await ask(instances);
      expect(reply.status).toBe(400);
      expect(reply.body.error.message).toContain(message);
    }
    const empty = await ask([]);
    expect(empty.status).toBe(400);
    const huge = await server.call('POST', `${p}/models/iris:predict`, {
      token: f.tokens.editor,
      body: `{"instances": [${'1'.padEnd(1_600_000, ' ')}]}`,
    });
    expect(huge.status).toBe(413);
  });

  it('marks versions FAILED with a readable reason and keeps serving the others', async () => {
    const { storage } = f.trial;
    await storage.write('gs://demo/broken/empty/readme.txt', 'no model here');
    await storage.write(
      'gs://demo/broken/notjs/model.json',
      JSON.stringify({ format: 'onnx', graph: {} }),
    );
    await saveScaleModel(storage, 'gs://demo/broken/short', 1);
    const shard = await truncateShard(storage, 'gs://demo/broken/short');
    expect(shard).toBe('gs://demo/broken/short/group1-shard1of1.bin');
    const outcomes: Record<string, Version> = {};
    for (const [version, uri] of [
      ['missing', 'gs://demo/broken/empty'],
      ['unknown', 'gs://demo/broken/notjs'],
      ['corrupt', 'gs://demo/broken/short'],
    ] as const) {
      outcomes[version] = await f.deploy('broken', version, uri);
    }
    expect(outcomes.missing).toMatchObject({
      state: 'FAILED',
      errorMessage: 'Model bundle gs://demo/broken/empty is invalid: model.json not found',
    });
    expect(outcomes.unknown?.errorMessage).toBe(
      'Model bundle gs://demo/broken/notjs is invalid: model.json has no modelTopology (not a TensorFlow.js model)',
    );
    expect(outcomes.corrupt?.errorMessage).toBe(
      'Model bundle gs://demo/broken/short is invalid: weight shards hold 8 bytes but model.json describes 16',
    );
    const refused = await server.call<{ error: { message: string } }>(
      'POST',
      `${p}/models/broken/versions/corrupt:predict`,
      {
        token: f.tokens.editor,
        body: { instances: [[1, 2]] },
      },
    );
    expect([refused.status, refused.body.error.message]).toEqual([
      400,
      'Version "projects/default/models/broken/versions/corrupt" is FAILED, not READY',
    ]);
    const still = await server.call<{ predictions: unknown[] }>(
      'POST',
      `${p}/models/iris:predict`,
      {
        token: f.tokens.editor,
        body: { instances: [IRIS_EXAMPLES[0].instance] },
      },
    );
    expect(still.body.predictions).toMatchObject([{ label: 'setosa' }]);
  });

  it('switches the default version with no failed request while a client predicts in a loop', async () => {
    const { storage } = f.trial;
    await saveScaleModel(storage, 'gs://demo/scale/one', 1);
    await saveScaleModel(storage, 'gs://demo/scale/two', 2);
    expect((await f.deploy('scale', 'one', 'gs://demo/scale/one')).state).toBe('READY');
    expect((await f.deploy('scale', 'two', 'gs://demo/scale/two')).state).toBe('READY');
    const seen: number[] = [];
    const failures: number[] = [];
    let stop = false;
    const loop = (async () => {
      while (!stop) {
        const reply = await server.call<{ predictions: number[][] }>(
          'POST',
          `${p}/models/scale:predict`,
          {
            token: f.tokens.editor,
            body: { instances: [[1, 2]] },
          },
        );
        if (reply.status === 200) seen.push(reply.body.predictions[0]?.[0] ?? NaN);
        else failures.push(reply.status);
      }
    })();
    // Switch once the loop has been answered by version one a few times, stop once version two
    // has answered a few times: the switch lands in the middle of the traffic.
    const answeredBy = (version: number) => () => seen.filter((v) => v === version).length;
    try {
      await expect.poll(answeredBy(1), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
      const switched = await server.call('POST', `${p}/models/scale/versions/two:setDefault`, {
        token: f.tokens.editor,
      });
      expect(switched.status).toBe(200);
      await expect.poll(answeredBy(2), { timeout: 30_000 }).toBeGreaterThanOrEqual(5);
    } finally {
      stop = true;
      await loop;
    }
    expect(failures).toEqual([]);
    expect(seen[0]).toBe(1);
    expect(seen[seen.length - 1]).toBe(2);
    // Once it switched it stays switched.
    expect(seen.slice(seen.indexOf(2))).toEqual(seen.slice(seen.indexOf(2)).map(() => 2));
    // The old default can go now; the predictor unloads it.
    expect(
      (await server.call('DELETE', `${p}/models/scale/versions/one`, { token: f.tokens.editor }))
        .status,
    ).toBe(200);
    await expect
      .poll(() => server.predictor.loadedVersions().includes('default/scale/one'))
      .toBe(false);
    const gone = await server.call('POST', `${p}/models/scale/versions/one:predict`, {
      token: f.tokens.editor,
      body: { instances: [[1, 2]] },
    });
    expect(gone.status).toBe(404);
  });
});
