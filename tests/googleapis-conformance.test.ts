/**
 * Conformance with Google's own client for the Cloud ML v1 API: the generated
 * `googleapis` Node client (`ml({version: 'v1', rootUrl})`) drives one
 * all-in-one Stratus server (API, predictor and a worker child on a real Redis
 * and a local bucket) through every method Stratus implements, and the answers
 * are checked for the reference field names. Then the same routes are called
 * with raw requests exactly as google-api-python-client sends them (its headers,
 * `alt=json`, `prettyPrint=false`, `$.xgafv=2` and a `fields` partial response).
 *
 * One `it` per method, on resources the earlier cases made: a case added later
 * (patch, operations.list/cancel) reuses them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { ml, type ml_v1 } from 'googleapis/build/src/apis/ml/index.js';
import { selectBackend } from '@stratus/bundle';
import { saveScaleModel } from '@stratus/serving/testing';
import {
  JOB_FIELDS,
  MODEL_FIELDS,
  OPERATION_FIELDS,
  OPERATION_METADATA_FIELDS,
  PREDICTION_INPUT_FIELDS,
  PREDICTION_OUTPUT_FIELDS,
  TRAINING_OUTPUT_FIELDS,
  VERSION_FIELDS,
  beyondReference,
} from './support/cloud-ml-reference.js';
import { pythonHeaders, pythonQuery } from './support/python-client.js';
import { startServe, type ServeProcess } from './support/serve-process.js';
import { irisTraining, openE2eEnv, type E2eEnv } from './support/stratus-e2e.js';

const PARENT = 'projects/default';
const TRAIN_JOB = 'conform_train';
const CANCEL_JOB = 'conform_cancel';
const BATCH_JOB = 'conform_batch';
const BATCH_INPUT = 'gs://demo/conform/batch/in.jsonl';
const BATCH_OUTPUT = 'gs://demo/conform/batch/out/';
const MODEL = `${PARENT}/models/conform_model`;
const SPARE_MODEL = `${PARENT}/models/conform_spare`;
/** A tfjs bundle answering `y = 2·x` for two inputs. */
const BUNDLE = 'gs://demo/conform/doubler/';
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

let env: E2eEnv;
let serve: ServeProcess;
let client: ml_v1.Ml;
/** The version create operations, by version id. */
const operations = new Map<string, string>();

beforeAll(async () => {
  env = await openE2eEnv({ LOG_LEVEL: 'warn' });
  const writing = (async () => {
    // This process only builds the bundle: the pure-JS backend does that at once.
    await selectBackend('cpu');
    await saveScaleModel(env.storage, BUNDLE, 2);
    await env.storage.write(BATCH_INPUT, '[1, 2]\n[3, 4]\n');
  })();
  [serve] = await Promise.all([startServe(env), writing]);
  client = ml({
    version: 'v1',
    rootUrl: `${serve.url}/`,
    headers: { authorization: `Bearer ${env.adminToken}` },
  });
}, 120_000);

afterAll(async () => {
  await serve?.stop();
  await env?.close();
}, 30_000);

/** Poll a job through the client until it is in a terminal state. */
const settledJob = async (jobId: string): Promise<ml_v1.Schema$GoogleCloudMlV1__Job> => {
  for (;;) {
    const { data } = await client.projects.jobs.get({ name: `${PARENT}/jobs/${jobId}` });
    if (TERMINAL.includes(data.state ?? '')) return data;
    await sleep(100);
  }
};

/** Poll an operation through the client until it is done. */
const doneOperation = async (name: string): Promise<ml_v1.Schema$GoogleLongrunning__Operation> => {
  for (;;) {
    const { data } = await client.projects.operations.get({ name });
    if (data.done === true) return data;
    await sleep(50);
  }
};

/** Every page of a list, following nextPageToken. */
const allPages = async <T>(
  page: (pageToken: string | undefined) => Promise<{ items: T[]; next?: string | null }>,
): Promise<{ items: T[]; pages: number }> => {
  const items: T[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const { items: more, next } = await page(token);
    items.push(...more);
    pages += 1;
    token = next ?? undefined;
  } while (token !== undefined);
  return { items, pages };
};

/**
 * The Iris job's training input, typed as the client types it: `builtinAlgorithm` is
 * Stratus's own field, which the reference TrainingInput does not have.
 */
const trainingInput = (
  jobId: string,
  overrides: Record<string, unknown> = {},
): ml_v1.Schema$GoogleCloudMlV1__TrainingInput => {
  const { scaleTier, region, jobDir, builtinAlgorithm } = irisTraining(jobId, overrides);
  return { scaleTier, region, jobDir, ...{ builtinAlgorithm } };
};

/** The HttpBody the generated client's predict takes: JSON bytes, base64 in JSON. */
const httpBody = (request: unknown): ml_v1.Schema$GoogleApi__HttpBody => ({
  contentType: 'application/json',
  data: Buffer.from(JSON.stringify(request)).toString('base64'),
});

describe('the googleapis client (ml v1)', () => {
  it('projects.jobs.create', async () => {
    const { status, data } = await client.projects.jobs.create({
      parent: PARENT,
      requestBody: {
        jobId: TRAIN_JOB,
        labels: { suite: 'conformance' },
        trainingInput: trainingInput(TRAIN_JOB, { epochs: 4 }),
      },
    });
    expect(status).toBe(200);
    expect(data).toMatchObject({
      jobId: TRAIN_JOB,
      state: 'QUEUED',
      labels: { suite: 'conformance' },
      trainingInput: { scaleTier: 'BASIC', region: 'local', jobDir: `gs://demo/jobs/${TRAIN_JOB}` },
      createTime: expect.stringMatching(RFC3339),
      etag: expect.any(String),
    });
    expect(beyondReference(data, JOB_FIELDS)).toEqual([]);
  });

  it('projects.jobs.cancel', async () => {
    await client.projects.jobs.create({
      parent: PARENT,
      requestBody: { jobId: CANCEL_JOB, trainingInput: trainingInput(CANCEL_JOB) },
    });
    const { status } = await client.projects.jobs.cancel({
      name: `${PARENT}/jobs/${CANCEL_JOB}`,
      requestBody: {},
    });
    expect(status).toBe(200);
    const job = await settledJob(CANCEL_JOB);
    expect(job.state).toBe('CANCELLED');
  });

  it('projects.jobs.list, page by page with pageToken', async () => {
    const { items, pages } = await allPages(async (pageToken) => {
      const { data } = await client.projects.jobs.list({
        parent: PARENT,
        pageSize: 1,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      return { items: data.jobs ?? [], next: data.nextPageToken };
    });
    expect(pages).toBe(2);
    expect(items.map((job) => job.jobId).sort()).toEqual([CANCEL_JOB, TRAIN_JOB]);
  });

  it('projects.jobs.get, until the job SUCCEEDED, with its trainingOutput', async () => {
    const job = await settledJob(TRAIN_JOB);
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    expect(job).toMatchObject({
      jobId: TRAIN_JOB,
      createTime: expect.stringMatching(RFC3339),
      startTime: expect.stringMatching(RFC3339),
      endTime: expect.stringMatching(RFC3339),
      trainingInput: { scaleTier: 'BASIC' },
    });
    expect(beyondReference(job, JOB_FIELDS)).toEqual([]);
    expect(job.trainingOutput).toMatchObject({ isHyperparameterTuningJob: false });
    // modelDir is Stratus's (where the bundle is); every other field is the reference's.
    expect(beyondReference(job.trainingOutput ?? {}, TRAINING_OUTPUT_FIELDS)).toEqual(['modelDir']);
    expect(job.trainingOutput).toMatchObject({
      isBuiltInAlgorithmJob: true,
      builtInAlgorithmOutput: { framework: 'TENSORFLOW' },
      consumedMLUnits: expect.any(Number),
    });
  }, 120_000);

  it('errors reach the client in the Google error shape (code, status, message)', async () => {
    const name = `${PARENT}/jobs/no_such_job`;
    const error = await client.projects.jobs.get({ name }).then(
      () => undefined,
      (thrown: unknown) =>
        thrown as { status?: number; message?: string; response?: { data?: unknown } },
    );
    expect(error?.status).toBe(404);
    expect(error?.response?.data).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    expect(error?.message).toBe(`Job "${name}" not found`);
  });

  it('projects.models.create', async () => {
    for (const name of [MODEL, SPARE_MODEL]) {
      const { status, data } = await client.projects.models.create({
        parent: PARENT,
        requestBody: {
          name: name.split('/').pop(),
          description: 'conformance',
          labels: { suite: 'conformance' },
          regions: ['local'],
        },
      });
      expect(status).toBe(200);
      expect(data).toMatchObject({
        name,
        description: 'conformance',
        labels: { suite: 'conformance' },
        regions: ['local'],
        createTime: expect.stringMatching(RFC3339),
      });
      // Stratus adds the model's createTime (the reference Model has none).
      expect(beyondReference(data, MODEL_FIELDS)).toEqual(['createTime']);
    }
  });

  it('projects.models.get', async () => {
    const { data } = await client.projects.models.get({ name: MODEL });
    expect(data).toMatchObject({ name: MODEL, regions: ['local'], description: 'conformance' });
    expect(data.defaultVersion).toBeUndefined();
  });

  it('projects.models.list, page by page with pageToken', async () => {
    const { items, pages } = await allPages(async (pageToken) => {
      const { data } = await client.projects.models.list({
        parent: PARENT,
        pageSize: 1,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      return { items: data.models ?? [], next: data.nextPageToken };
    });
    expect(pages).toBe(2);
    expect(items.map((model) => model.name).sort()).toEqual([MODEL, SPARE_MODEL]);
  });

  it('projects.models.versions.create', async () => {
    for (const version of ['v1', 'v2']) {
      const { status, data } = await client.projects.models.versions.create({
        parent: MODEL,
        requestBody: { name: version, deploymentUri: BUNDLE, framework: 'TENSORFLOW_JS' },
      });
      expect(status).toBe(200);
      expect(data).toMatchObject({
        name: expect.stringMatching(/^projects\/default\/operations\/\S+$/),
        metadata: {
          '@type': 'type.googleapis.com/google.cloud.ml.v1.OperationMetadata',
          operationType: 'CREATE_VERSION',
          modelName: MODEL,
          createTime: expect.stringMatching(RFC3339),
          version: { name: `${MODEL}/versions/${version}`, deploymentUri: BUNDLE },
        },
      });
      expect(beyondReference(data, OPERATION_FIELDS)).toEqual([]);
      // '@type' is how JSON carries a google.protobuf.Any.
      expect(beyondReference(data.metadata ?? {}, OPERATION_METADATA_FIELDS)).toEqual(['@type']);
      operations.set(version, data.name ?? '');
    }
  });

  it('projects.operations.get, until the version create is done', async () => {
    for (const [version, name] of operations) {
      const operation = await doneOperation(name);
      expect(operation).toMatchObject({
        name,
        done: true,
        metadata: { operationType: 'CREATE_VERSION', endTime: expect.stringMatching(RFC3339) },
        response: {
          '@type': 'type.googleapis.com/google.cloud.ml.v1.Version',
          name: `${MODEL}/versions/${version}`,
          state: 'READY',
        },
      });
      expect(operation.error).toBeUndefined();
      expect(beyondReference(operation.response ?? {}, VERSION_FIELDS)).toEqual(['@type']);
    }
  });

  it('projects.models.versions.get', async () => {
    const { data } = await client.projects.models.versions.get({ name: `${MODEL}/versions/v1` });
    expect(data).toMatchObject({
      name: `${MODEL}/versions/v1`,
      deploymentUri: BUNDLE,
      framework: 'TENSORFLOW_JS',
      state: 'READY',
      isDefault: true,
      createTime: expect.stringMatching(RFC3339),
      etag: expect.any(String),
    });
    expect(beyondReference(data, VERSION_FIELDS)).toEqual([]);
  });

  it('projects.models.versions.list, page by page with pageToken', async () => {
    const { items, pages } = await allPages(async (pageToken) => {
      const { data } = await client.projects.models.versions.list({
        parent: MODEL,
        pageSize: 1,
        ...(pageToken === undefined ? {} : { pageToken }),
      });
      return { items: data.versions ?? [], next: data.nextPageToken };
    });
    expect(pages).toBe(2);
    expect(items.map((version) => version.name).sort()).toEqual([
      `${MODEL}/versions/v1`,
      `${MODEL}/versions/v2`,
    ]);
  });

  it('projects.models.versions.setDefault', async () => {
    const { data } = await client.projects.models.versions.setDefault({
      name: `${MODEL}/versions/v2`,
      requestBody: {},
    });
    expect(data).toMatchObject({ name: `${MODEL}/versions/v2`, isDefault: true, state: 'READY' });
    const model = await client.projects.models.get({ name: MODEL });
    expect(model.data.defaultVersion).toMatchObject({ name: `${MODEL}/versions/v2` });
  });

  it('projects.models.patch with updateMask, and the etag checked', async () => {
    const { data: before } = await client.projects.models.get({ name: MODEL });
    const { status, data } = await client.projects.models.patch({
      name: MODEL,
      updateMask: 'description,labels',
      requestBody: { description: 'patched', labels: { team: 'conform' }, etag: before.etag },
    });
    expect(status).toBe(200);
    expect(data).toMatchObject({
      done: true,
      metadata: { operationType: 'UPDATE_MODEL', modelName: MODEL },
      response: { name: MODEL, description: 'patched', labels: { team: 'conform' } },
    });
    const { data: after } = await client.projects.models.get({ name: MODEL });
    expect(after).toMatchObject({ description: 'patched', labels: { team: 'conform' } });
    expect(after.etag).not.toBe(before.etag);
    const stale = await client.projects.models
      .patch({
        name: MODEL,
        updateMask: 'description',
        requestBody: { description: 'lost', etag: before.etag },
      })
      .then(
        () => undefined,
        (thrown: unknown) => thrown as { status?: number; response?: { data?: unknown } },
      );
    expect(stale?.status).toBe(409);
    expect(stale?.response?.data).toMatchObject({ error: { code: 409, status: 'ABORTED' } });
  });

  it('projects.models.versions.patch with updateMask', async () => {
    const { data } = await client.projects.models.versions.patch({
      name: `${MODEL}/versions/v2`,
      updateMask: 'description,manualScaling.nodes',
      requestBody: { description: 'second', manualScaling: { nodes: 2 } },
    });
    expect(data).toMatchObject({
      done: true,
      metadata: { operationType: 'UPDATE_VERSION' },
      response: {
        name: `${MODEL}/versions/v2`,
        description: 'second',
        manualScaling: { nodes: 2 },
      },
    });
  });

  it('projects.jobs.patch with updateMask=labels, and jobs.list with an AIP-160 filter', async () => {
    const { data } = await client.projects.jobs.patch({
      name: `${PARENT}/jobs/${TRAIN_JOB}`,
      updateMask: 'labels',
      requestBody: { labels: { stage: 'conformed' } },
    });
    expect(data).toMatchObject({ jobId: TRAIN_JOB, labels: { stage: 'conformed' } });
    const { data: listed } = await client.projects.jobs.list({
      parent: PARENT,
      filter: 'jobId:conform_* AND (labels.stage=conformed OR state:CANCELLED)',
    });
    expect(listed.jobs?.map((job) => job.jobId).sort()).toEqual([CANCEL_JOB, TRAIN_JOB].sort());
  });

  it('projects.operations.list, filtered, and projects.operations.cancel', async () => {
    const { data } = await client.projects.operations.list({
      name: PARENT,
      filter: `metadata.modelName="${MODEL}" AND metadata.operationType=CREATE_VERSION`,
    });
    expect(data.operations?.map((operation) => operation.name).sort()).toEqual(
      [...operations.values()].sort(),
    );
    for (const operation of data.operations ?? []) {
      expect(beyondReference(operation, OPERATION_FIELDS)).toEqual([]);
    }
    // A deploy cancelled at once ends FAILED with code 1 (CANCELLED), unless it finished first.
    const { data: created } = await client.projects.models.versions.create({
      parent: MODEL,
      requestBody: { name: 'v3', deploymentUri: BUNDLE },
    });
    const cancelled = await client.projects.operations.cancel({ name: created.name ?? '' });
    expect([cancelled.status, cancelled.data]).toEqual([200, {}]);
    const done = await doneOperation(created.name ?? '');
    if (done.error !== undefined) expect(done.error.code).toBe(1);
    else expect(done.response).toMatchObject({ state: 'READY' });
    await doneOperation(
      (await client.projects.models.versions.delete({ name: `${MODEL}/versions/v3` })).data.name ??
        '',
    );
  });

  it('projects.predict, with the HttpBody the client sends, on a model and on a version', async () => {
    for (const name of [MODEL, `${MODEL}/versions/v1`]) {
      const { status, data } = await client.projects.predict({
        name,
        requestBody: {
          httpBody: httpBody({
            instances: [
              [1, 2],
              [3, 4],
            ],
          }),
        },
      });
      expect([name, status]).toEqual([name, 200]);
      expect(data).toEqual({
        predictions: [
          [2, 4],
          [6, 8],
        ],
      });
    }
  });

  it('projects.jobs.create with predictionInput: a batch prediction job on the model', async () => {
    const { data } = await client.projects.jobs.create({
      parent: PARENT,
      requestBody: {
        jobId: BATCH_JOB,
        predictionInput: {
          dataFormat: 'JSON',
          inputPaths: [BATCH_INPUT],
          outputPath: BATCH_OUTPUT,
          modelName: MODEL,
          region: 'local',
          // An int64: the client types it as Google's JSON writes it, a decimal string.
          batchSize: '16',
        },
      },
    });
    expect(data).toMatchObject({ jobId: BATCH_JOB, predictionInput: { modelName: MODEL } });
    expect(beyondReference(data.predictionInput ?? {}, PREDICTION_INPUT_FIELDS)).toEqual([]);
    const job = await settledJob(BATCH_JOB);
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    expect(job.predictionOutput).toMatchObject({
      outputPath: BATCH_OUTPUT,
      predictionCount: '2',
      nodeHours: expect.any(Number),
    });
    // Only Stratus's progress fields beside the reference ones (rowsPerSecond needs a run time).
    expect([
      'completedShardCount',
      'processedCount',
      'rowsPerSecond',
      'shardCount',
      'totalCount',
    ]).toEqual(
      expect.arrayContaining(beyondReference(job.predictionOutput ?? {}, PREDICTION_OUTPUT_FIELDS)),
    );
  }, 120_000);

  it('projects.models.versions.delete', async () => {
    const { data } = await client.projects.models.versions.delete({ name: `${MODEL}/versions/v1` });
    expect(data.metadata).toMatchObject({ operationType: 'DELETE_VERSION', modelName: MODEL });
    const operation = await doneOperation(data.name ?? '');
    expect(operation.error).toBeUndefined();
    const { data: left } = await client.projects.models.versions.list({ parent: MODEL });
    expect(left.versions?.map((version) => version.name)).toEqual([`${MODEL}/versions/v2`]);
  });

  it('projects.models.delete', async () => {
    const { data } = await client.projects.models.delete({ name: SPARE_MODEL });
    expect(data.metadata).toMatchObject({ operationType: 'DELETE_MODEL', modelName: SPARE_MODEL });
    const operation = await doneOperation(data.name ?? '');
    expect(operation.error).toBeUndefined();
    const { data: left } = await client.projects.models.list({ parent: PARENT });
    expect(left.models?.map((model) => model.name)).toEqual([MODEL]);
  });
});

/** A raw request as google-api-python-client sends it, with `fields` for a partial response. */
const python = async (
  method: string,
  path: string,
  fields: string,
  body?: unknown,
): Promise<{ status: number; text: string; body: Record<string, unknown> }> => {
  const response = await fetch(`${serve.url}/v1/${path}${pythonQuery(fields)}`, {
    method,
    headers: pythonHeaders(env.adminToken, body !== undefined),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
};

describe('raw requests as google-api-python-client sends them', () => {
  const job = 'conform_python';
  const model = `${PARENT}/models/conform_python`;

  /** Call, expect 200 and a compact body that holds exactly the `fields` asked for. */
  const expectPartial = async (
    method: string,
    path: string,
    fields: string,
    keys: string[],
    body?: unknown,
  ): Promise<Record<string, unknown>> => {
    const reply = await python(method, path, fields, body);
    expect([path, reply.status], reply.text).toEqual([path, 200]);
    expect(reply.text).not.toContain('\n');
    expect([path, Object.keys(reply.body).sort()]).toEqual([path, keys]);
    return reply.body;
  };

  it('projects.jobs.create, get, list and cancel', async () => {
    const trainingInput = irisTraining(job);
    expect(
      await expectPartial('POST', `${PARENT}/jobs`, 'jobId,state', ['jobId', 'state'], {
        jobId: job,
        trainingInput,
      }),
    ).toEqual({ jobId: job, state: 'QUEUED' });
    expect(
      await expectPartial('GET', `${PARENT}/jobs/${job}`, 'jobId,trainingInput/scaleTier', [
        'jobId',
        'trainingInput',
      ]),
    ).toEqual({ jobId: job, trainingInput: { scaleTier: 'BASIC' } });
    const listed = await expectPartial('GET', `${PARENT}/jobs`, 'jobs(jobId),nextPageToken', [
      'jobs',
    ]);
    expect(listed.jobs).toContainEqual({ jobId: job });
    expect(
      await expectPartial('POST', `${PARENT}/jobs/${job}:cancel`, 'jobId', ['jobId'], {}),
    ).toEqual({ jobId: job });
  });

  it('projects.models.create, get and list', async () => {
    expect(
      await expectPartial('POST', `${PARENT}/models`, 'name', ['name'], {
        name: 'conform_python',
      }),
    ).toEqual({ name: model });
    expect(await expectPartial('GET', model, 'name,regions', ['name'])).toEqual({ name: model });
    const listed = await expectPartial('GET', `${PARENT}/models`, 'models(name)', ['models']);
    expect(listed.models).toContainEqual({ name: model });
  });

  it('projects.models.versions.create, operations.get, versions.get, list and setDefault', async () => {
    const created = await expectPartial(
      'POST',
      `${model}/versions`,
      'name,metadata/operationType',
      ['metadata', 'name'],
      { name: 'py1', deploymentUri: BUNDLE },
    );
    expect(created.metadata).toEqual({ operationType: 'CREATE_VERSION' });
    const operation = String(created.name);
    await doneOperation(operation);
    expect(
      await expectPartial('GET', operation, 'done,response/state', ['done', 'response']),
    ).toEqual({ done: true, response: { state: 'READY' } });
    const version = `${model}/versions/py1`;
    expect(
      await expectPartial('GET', version, 'name,state,framework,deploymentUri', [
        'deploymentUri',
        'framework',
        'name',
        'state',
      ]),
    ).toEqual({ name: version, state: 'READY', framework: 'TENSORFLOW_JS', deploymentUri: BUNDLE });
    const listed = await expectPartial('GET', `${model}/versions`, 'versions(name)', ['versions']);
    expect(listed.versions).toEqual([{ name: version }]);
    expect(
      await expectPartial(
        'POST',
        `${version}:setDefault`,
        'name,isDefault',
        ['isDefault', 'name'],
        {},
      ),
    ).toEqual({ name: version, isDefault: true });
  });

  it('projects.predict, with the instances body the Python client sends', async () => {
    for (const path of [`${model}:predict`, `${model}/versions/py1:predict`]) {
      expect(
        await expectPartial('POST', path, 'predictions', ['predictions'], { instances: [[1, 1]] }),
      ).toEqual({ predictions: [[2, 2]] });
    }
  });

  it('projects.models.versions.delete and projects.models.delete', async () => {
    const version = await expectPartial('DELETE', `${model}/versions/py1`, 'name,done', [
      'done',
      'name',
    ]);
    await doneOperation(String(version.name));
    const deleted = await expectPartial('DELETE', model, 'metadata/operationType', ['metadata']);
    expect(deleted.metadata).toEqual({ operationType: 'DELETE_MODEL' });
  });
});
