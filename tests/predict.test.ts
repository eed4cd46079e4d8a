/**
 * Online prediction across services, as a user runs it: the all-in-one server
 * (`services/serve/src/main.ts`: the API with the predictor mounted, a worker
 * child process) on a real Redis. A job trains Iris on the worker; a version
 * is deployed from it with `sourceJob`; the predictor loads it and answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model, Operation, Version } from '@stratus/spec';
import { startServe, type ServeProcess } from './support/serve-process.js';
import {
  apiCall,
  irisTraining,
  openE2eEnv,
  waitForOperation as waitForOp,
  waitForJob,
  type E2eEnv,
} from './support/stratus-e2e.js';

/** The three classic Iris examples and their species. */
const CLASSIC = [
  [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }, 'setosa'],
  [{ sepal_length: 6.4, sepal_width: 3.2, petal_length: 4.5, petal_width: 1.5 }, 'versicolor'],
  [{ sepal_length: 7.7, sepal_width: 3.0, petal_length: 6.1, petal_width: 2.3 }, 'virginica'],
] as const;
const p = '/v1/projects/default';

let env: E2eEnv;
let serve: ServeProcess | undefined;
let url = '';
const call = <T = unknown>(method: string, path: string, body?: unknown) =>
  apiCall<T>(url, env.adminToken, method, path, body);

beforeAll(async () => {
  env = await openE2eEnv({ LOG_LEVEL: 'warn' });
  serve = await startServe(env);
  url = serve.url;
}, 90_000);

afterAll(async () => {
  await serve?.stop();
  await env?.close();
}, 30_000);

const waitForOperation = (name: string): Promise<Operation> => waitForOp(url, env.adminToken, name);

const deploy = async (version: string, body: Record<string, unknown>): Promise<Operation> => {
  const created = await call<Operation>('POST', `${p}/models/iris/versions`, {
    name: version,
    ...body,
  });
  expect(created.status).toBe(200);
  return waitForOperation(created.body.name);
};

type Predictions = { predictions: Array<{ label: string; probabilities: Record<string, number> }> };
const predictClassic = (path = `${p}/models/iris:predict`) =>
  call<Predictions>('POST', path, { instances: CLASSIC.map(([instance]) => instance) });

describe('train, deploy and predict across services', () => {
  it('trains Iris on the worker, deploys it from the job (sourceJob) and labels the classic three', async () => {
    const submitted = await call('POST', `${p}/jobs`, {
      jobId: 'iris_serve',
      trainingInput: irisTraining('iris_serve', { epochs: 40, dropout: 0 }),
    });
    expect(submitted.status).toBe(200);
    const job = await waitForJob(
      url,
      env.adminToken,
      'iris_serve',
      ['SUCCEEDED', 'FAILED'],
      90_000,
    );
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);

    expect((await call('POST', `${p}/models`, { name: 'iris' })).status).toBe(200);
    const done = await deploy('v1', { sourceJob: { jobId: 'iris_serve' } });
    expect(done.error).toBeUndefined();
    expect(done.response).toMatchObject({
      name: `${p.slice(4)}/models/iris/versions/v1`,
      state: 'READY',
      deploymentUri: 'gs://demo/jobs/iris_serve/model',
      isDefault: true,
    });
    const predicted = await predictClassic();
    expect(predicted.status).toBe(200);
    expect(predicted.body.predictions.map((prediction) => prediction.label)).toEqual(
      CLASSIC.map(([, label]) => label),
    );
    for (const { probabilities } of predicted.body.predictions) {
      expect(Object.values(probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
  }, 150_000);

  it('marks a bundle with a corrupt shard FAILED with the reason and keeps serving v1', async () => {
    const source = 'gs://demo/jobs/iris_serve/model';
    const { objects } = await env.storage.list(`${source}/`);
    expect(objects.map((object) => object.name.split('/').pop()).sort()).toContain('model.json');
    expect(objects.map((object) => object.name.split('/').pop())).toContain('model.onnx');
    for (const object of objects) {
      // A tfjs-only bundle: with the exported model.onnx it would serve on ONNX Runtime.
      if (object.name.endsWith('/model.onnx')) continue;
      const target = object.uri.replace(source, 'gs://demo/broken/model');
      const bytes = await env.storage.read(object.uri);
      // Every weight shard loses its second half, as an interrupted upload leaves it.
      const keep = object.name.endsWith('.bin') ? bytes.subarray(0, bytes.length >> 1) : bytes;
      await env.storage.write(target, keep);
    }
    const failed = await deploy('corrupt', { deploymentUri: 'gs://demo/broken/model' });
    expect(failed.error?.message).toMatch(
      /^Model bundle gs:\/\/demo\/broken\/model is invalid: weight shards hold \d+ bytes but model.json describes \d+$/,
    );
    const version = await call<Version>('GET', `${p}/models/iris/versions/corrupt`);
    expect(version.body.state).toBe('FAILED');
    expect(version.body.errorMessage).toBe(failed.error?.message);
    const refused = await predictClassic(`${p}/models/iris/versions/corrupt:predict`);
    expect(refused.status).toBe(400);
    const still = await predictClassic();
    expect(still.body.predictions.map((prediction) => prediction.label)).toEqual(
      CLASSIC.map(([, label]) => label),
    );
  });

  it('switches the default version with no failed request while a client predicts in a loop', async () => {
    const ready = await deploy('v2', { sourceJob: { jobId: 'iris_serve', trialId: '1' } });
    expect(ready.response).toMatchObject({ state: 'READY', isDefault: false });
    expect((await call<Version>('GET', `${p}/models/iris/versions/v2`)).body.lastUseTime).toBe(
      undefined,
    );
    const statuses: number[] = [];
    const labels = new Set<string>();
    let stop = false;
    const loop = async () => {
      while (!stop) {
        const reply = await predictClassic();
        statuses.push(reply.status);
        if (reply.status === 200) labels.add(reply.body.predictions.map((x) => x.label).join());
      }
    };
    const loops = [loop(), loop()];
    await expect.poll(() => statuses.length, { timeout: 10_000 }).toBeGreaterThan(20);
    const switched = await call<Version>('POST', `${p}/models/iris/versions/v2:setDefault`);
    expect([switched.status, switched.body.isDefault]).toEqual([200, true]);
    const before = statuses.length;
    await expect.poll(() => statuses.length - before, { timeout: 10_000 }).toBeGreaterThan(40);
    stop = true;
    await Promise.all(loops);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect([...labels]).toEqual([CLASSIC.map(([, label]) => label).join()]);
    // v2 answered after the switch (its first use stamps lastUseTime), and is the default now.
    expect((await call<Version>('GET', `${p}/models/iris/versions/v2`)).body.lastUseTime).toEqual(
      expect.any(String),
    );
    expect((await call<Model>('GET', `${p}/models/iris`)).body.defaultVersion?.name).toBe(
      'projects/default/models/iris/versions/v2',
    );
  }, 60_000);
});
