import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import {
  ListModelsResponseSchema,
  ModelSchema,
  OperationSchema,
  VersionSchema,
  type Operation,
} from '@stratus/spec';
import { errorOf, irisJob, openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi();
});
afterAll(() => t.close());

const base = '/v1/projects/demo/models';
const as = (method: string, url: string, body?: unknown) =>
  t.call(method, url, { token: t.tokens.editor, ...(body === undefined ? {} : { body }) });

describe('models and versions over HTTP', () => {
  it('runs the Cloud ML lifecycle: model, versions, operations, default, deletes', async () => {
    const model = await as('POST', base, {
      name: 'census',
      description: 'income',
      labels: { t: 'x' },
    });
    expect(model.statusCode).toBe(200);
    expect(Value.Check(ModelSchema, model.json())).toBe(true);
    expect(model.json()).toMatchObject({
      name: 'projects/demo/models/census',
      description: 'income',
    });

    const created = await as('POST', `${base}/census/versions`, {
      name: 'v1',
      deploymentUri: 'gs://demo/census/v1',
      batching: { maxBatchSize: 16, maxLatencyMs: 2 },
    });
    expect(created.statusCode).toBe(200);
    const operation = created.json() as Operation;
    expect(Value.Check(OperationSchema, operation)).toBe(true);
    expect(operation).toMatchObject({
      done: false,
      metadata: {
        operationType: 'CREATE_VERSION',
        version: { state: 'CREATING', isDefault: true },
      },
    });
    const opUrl = `/v1/${operation.name}`;
    expect((await as('GET', opUrl)).json()).toEqual(operation);

    // A predictor reports the load; the operation then answers with the version.
    await t.store.versions.finish('demo', 'census', 'v1', { state: 'READY' });
    const done = (await as('GET', opUrl)).json() as Operation;
    expect(done).toMatchObject({
      done: true,
      response: { '@type': 'type.googleapis.com/google.cloud.ml.v1.Version', state: 'READY' },
    });

    await as('POST', `${base}/census/versions`, {
      name: 'v2',
      deploymentUri: 'gs://demo/census/v2',
    });
    const notReady = await as('POST', `${base}/census/versions/v2:setDefault`, {});
    expect(notReady.statusCode).toBe(400);
    expect(errorOf(notReady)).toMatchObject({
      reason: 'VERSION_NOT_READY',
      message: 'Version "projects/demo/models/census/versions/v2" is CREATING, not READY',
    });
    await t.store.versions.finish('demo', 'census', 'v2', { state: 'READY' });
    const switched = await as('POST', `${base}/census/versions/v2:setDefault`);
    expect(switched.statusCode).toBe(200);
    expect(Value.Check(VersionSchema, switched.json())).toBe(true);
    expect(switched.json()).toMatchObject({ isDefault: true, state: 'READY' });

    const listed = await as('GET', `${base}/census/versions?pageSize=1`);
    expect(listed.json()).toMatchObject({
      versions: [{ name: 'projects/demo/models/census/versions/v1', isDefault: false }],
      nextPageToken: expect.any(String),
    });
    const token = encodeURIComponent((listed.json() as { nextPageToken: string }).nextPageToken);
    const rest = await as('GET', `${base}/census/versions?pageSize=1&pageToken=${token}`);
    expect(rest.json()).toEqual({ versions: [switched.json()] });

    const defaultDelete = await as('DELETE', `${base}/census/versions/v2`);
    expect([defaultDelete.statusCode, errorOf(defaultDelete).reason]).toEqual([
      400,
      'DEFAULT_VERSION_DELETE',
    ]);
    const modelDelete = await as('DELETE', `${base}/census`);
    expect([modelDelete.statusCode, errorOf(modelDelete).message]).toEqual([
      400,
      'Model "projects/demo/models/census" still has 2 version(s); delete them first',
    ]);
    for (const version of ['v1', 'v2']) {
      const deleted = await as('DELETE', `${base}/census/versions/${version}`);
      expect(deleted.statusCode).toBe(200);
      expect(deleted.json()).toMatchObject({
        done: true,
        metadata: { operationType: 'DELETE_VERSION' },
      });
    }
    expect((await as('DELETE', `${base}/census`)).statusCode).toBe(200);
    const gone = await as('GET', `${base}/census`);
    expect([gone.statusCode, errorOf(gone).reason]).toEqual([404, 'MODEL_NOT_FOUND']);
  });

  it('refuses malformed requests with 400 naming the field, and taken names with 409', async () => {
    const badName = await as('POST', base, { name: '9lives' });
    expect([badName.statusCode, errorOf(badName).reason, errorOf(badName).fields]).toEqual([
      400,
      'INVALID_MODEL_SPEC',
      ['name'],
    ]);
    await as('POST', base, { name: 'taken' });
    const taken = await as('POST', base, { name: 'taken' });
    expect([taken.statusCode, errorOf(taken).reason]).toEqual([409, 'MODEL_ALREADY_EXISTS']);
    const both = await as('POST', `${base}/taken/versions`, {
      name: 'v1',
      deploymentUri: 'gs://demo/x',
      sourceJob: { jobId: 'j' },
    });
    expect([both.statusCode, errorOf(both).fields]).toEqual([400, ['sourceJob']]);
    const badUri = await as('POST', `${base}/taken/versions`, {
      name: 'v1',
      deploymentUri: '/etc/passwd',
    });
    expect([badUri.statusCode, errorOf(badUri).fields]).toEqual([400, ['deploymentUri']]);
    const batch = await as('POST', `${base}/taken/versions`, {
      name: 'v1',
      deploymentUri: 'gs://demo/x',
      batching: { maxBatchSize: 0 },
    });
    expect([batch.statusCode, errorOf(batch).fields]).toEqual([400, ['batching.maxBatchSize']]);
    const noModel = await as('POST', `${base}/nope/versions`, {
      name: 'v1',
      deploymentUri: 'gs://demo/x',
    });
    expect([noModel.statusCode, errorOf(noModel).reason]).toEqual([404, 'MODEL_NOT_FOUND']);
    const noOp = await as('GET', '/v1/projects/demo/operations/create_x-1');
    expect([noOp.statusCode, errorOf(noOp).reason]).toEqual([404, 'OPERATION_NOT_FOUND']);
    const list = await as('GET', `${base}?pageSize=5000`);
    expect([list.statusCode, errorOf(list).fields]).toEqual([400, ['pageSize']]);
  });

  it('deploys the model a job trained (sourceJob) and refuses a job that has not succeeded', async () => {
    await as('POST', base, { name: 'from_job' });
    await as('POST', '/v1/projects/demo/jobs', irisJob('trainer_1'));
    const early = await as('POST', `${base}/from_job/versions`, {
      name: 'v1',
      sourceJob: { jobId: 'trainer_1' },
    });
    expect([early.statusCode, errorOf(early).reason, errorOf(early).message]).toEqual([
      400,
      'SOURCE_JOB_NOT_READY',
      'Job "projects/demo/jobs/trainer_1" is QUEUED; a version can only be created from a SUCCEEDED job',
    ]);
    await t.store.jobs.transition('demo', 'trainer_1', { from: ['QUEUED'], to: 'PREPARING' });
    await t.store.jobs.transition('demo', 'trainer_1', { from: ['PREPARING'], to: 'RUNNING' });
    const [trialId] = (await t.store.trials.list('demo', 'trainer_1')).map(
      (trial) => trial.trialId,
    );
    await t.store.trials.recordResult('demo', 'trainer_1', trialId ?? '1', {
      state: 'SUCCEEDED',
      modelDir: 'gs://demo/jobs/trainer_1/model',
    });
    await t.store.jobs.transition('demo', 'trainer_1', { from: ['RUNNING'], to: 'SUCCEEDED' });
    const created = await as('POST', `${base}/from_job/versions`, {
      name: 'v1',
      sourceJob: { jobId: 'trainer_1' },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({
      metadata: {
        version: {
          deploymentUri: 'gs://demo/jobs/trainer_1/model',
          sourceJob: { jobId: 'trainer_1' },
        },
      },
    });
    const models = await as('GET', base);
    expect(Value.Check(ListModelsResponseSchema, models.json())).toBe(true);
  });
});
