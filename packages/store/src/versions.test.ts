import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { etagOf } from './etag.js';
import { createJobStore } from './store.js';
import { jobInput, openTestStore, stratusFailure } from '../../../tests/support/test-store.js';

const NOW = '2024-05-01T12:00:00.000Z';
const t = openTestStore({ now: () => new Date(NOW) });
const { store } = t;
afterAll(() => t.close());

const uri = (version: string) => `gs://demo/models/${version}`;
const opId = (name: string): string => name.split('/').pop() ?? '';

beforeAll(async () => {
  await store.models.create('demo', { name: 'iris' });
});

describe('versions', () => {
  it('creates CREATING versions with a pending operation; the first becomes the default', async () => {
    const { version, operation } = await store.versions.create('demo', 'iris', {
      name: 'v1',
      deploymentUri: uri('v1'),
      batching: { maxBatchSize: 8 },
    });
    expect(version).toEqual({
      name: 'projects/demo/models/iris/versions/v1',
      deploymentUri: uri('v1'),
      framework: 'TENSORFLOW_JS',
      state: 'CREATING',
      isDefault: true,
      createTime: NOW,
      batching: { maxBatchSize: 8 },
      etag: etagOf('1'),
    });
    expect(operation).toEqual({
      name: expect.stringMatching(/^projects\/demo\/operations\/create_iris_v1-\d+-[0-9a-f]{4}$/),
      metadata: {
        '@type': 'type.googleapis.com/google.cloud.ml.v1.OperationMetadata',
        operationType: 'CREATE_VERSION',
        modelName: 'projects/demo/models/iris',
        version,
        createTime: NOW,
        startTime: NOW,
      },
      done: false,
    });
    const second = await store.versions.create('demo', 'iris', {
      name: 'v2',
      deploymentUri: uri('v2'),
    });
    expect(second.version.isDefault).toBe(false);
    expect(await store.versions.listPending()).toEqual([
      { project: 'demo', model: 'iris', version: 'v1' },
      { project: 'demo', model: 'iris', version: 'v2' },
    ]);
    const taken = await stratusFailure(
      store.versions.create('demo', 'iris', { name: 'v1', deploymentUri: uri('x') }),
    );
    expect([taken.reason, taken.httpStatus, taken.message]).toEqual([
      'VERSION_ALREADY_EXISTS',
      409,
      'Version "projects/demo/models/iris/versions/v1" already exists',
    ]);
    const noModel = await stratusFailure(
      store.versions.create('demo', 'nope', { name: 'v1', deploymentUri: uri('v1') }),
    );
    expect(noModel.reason).toBe('MODEL_NOT_FOUND');
  });

  it('lets exactly one of many racing predictors report READY, completing the operation', async () => {
    const racers = Array.from({ length: 8 }, () =>
      createJobStore({ redis: t.connect(), prefix: t.prefix }),
    );
    const results = await Promise.all(
      racers.map((racer) => racer.versions.finish('demo', 'iris', 'v1', { state: 'READY' })),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual(
      Array.from({ length: 7 }, () => ({ ok: false, state: 'READY' })),
    );
    const version = await store.versions.get('demo', 'iris', 'v1');
    expect([version.state, version.etag]).toEqual(['READY', etagOf('2')]);
    const listed = await store.versions.list('demo', 'iris');
    expect(listed.versions.map((v) => [v.name.split('/').pop(), v.state, v.isDefault])).toEqual([
      ['v1', 'READY', true],
      ['v2', 'CREATING', false],
    ]);
    const created = listed.versions[0];
    const ops = await store.models.get('demo', 'iris');
    expect(ops.defaultVersion).toEqual(created);
    expect(await store.versions.listPending()).toEqual([
      { project: 'demo', model: 'iris', version: 'v2' },
    ]);
  });

  it('filters versions by state, framework, labels and name', async () => {
    await store.models.create('demo', { name: 'vf' });
    for (const [name, labels] of [
      ['a1', { stage: 'prod' }],
      ['a2', { stage: 'dev' }],
      ['b1', {}],
    ] as const) {
      await store.versions.create('demo', 'vf', { name, deploymentUri: uri(name), labels });
    }
    await store.versions.finish('demo', 'vf', 'a2', { state: 'READY' });
    const names = async (filter: string): Promise<unknown[]> =>
      (await store.versions.list('demo', 'vf', { filter })).versions.map((v) =>
        v.name.split('/').pop(),
      );
    expect(await names('state=READY')).toEqual(['a2']);
    expect(await names('state!=READY AND name:a*')).toEqual(['a1']);
    expect(await names('labels.stage=prod OR labels.stage=dev')).toEqual(['a1', 'a2']);
    expect(await names(`createTime>=${NOW} framework=TENSORFLOW_JS`)).toEqual(['a1', 'a2', 'b1']);
    expect(await names('framework=ONNX OR createTime<2024-01-01T00:00:00Z')).toEqual([]);
    const bad = await stratusFailure(store.versions.list('demo', 'vf', { filter: 'state=LIVE' }));
    expect(bad.message).toBe(
      'filter: state "LIVE" at position 7 is not one of CREATING, READY, FAILED, DELETING',
    );
    const missing = await stratusFailure(
      store.versions.list('demo', 'nope', { filter: 'state=READY' }),
    );
    expect(missing.reason).toBe('MODEL_NOT_FOUND');
    // Leave no CREATING versions behind for the tests of listPending.
    for (const name of ['a2', 'b1', 'a1']) await store.versions.delete('demo', 'vf', name);
  });

  it('records a FAILED load with its message on the version and the operation', async () => {
    const { operation } = await store.versions.create('demo', 'iris', {
      name: 'broken',
      deploymentUri: uri('broken'),
    });
    const error = new StratusError('BUNDLE_INVALID', {
      uri: uri('broken'),
      detail: 'model.json not found',
    });
    expect(
      await store.versions.finish('demo', 'iris', 'broken', { state: 'FAILED', error }),
    ).toEqual({ ok: true });
    const version = await store.versions.get('demo', 'iris', 'broken');
    expect(version.state).toBe('FAILED');
    expect(version.errorMessage).toBe(
      `Model bundle ${uri('broken')} is invalid: model.json not found`,
    );
    const done = await store.models.getOperation('demo', opId(operation.name));
    expect(done.done).toBe(true);
    expect(done.response).toBeUndefined();
    expect(done.error).toMatchObject({ code: 9, message: version.errorMessage });
    expect(done.metadata.endTime).toBe(NOW);
    const ready = await store.versions.finish('demo', 'iris', 'broken', { state: 'READY' });
    expect(ready).toEqual({ ok: false, state: 'FAILED' });
  });

  it('sets the default only to a READY version and refuses to delete the default while others exist', async () => {
    const notReady = await stratusFailure(store.versions.setDefault('demo', 'iris', 'v2'));
    expect([notReady.reason, notReady.message]).toEqual([
      'VERSION_NOT_READY',
      'Version "projects/demo/models/iris/versions/v2" is CREATING, not READY',
    ]);
    await store.versions.finish('demo', 'iris', 'v2', { state: 'READY' });
    const v2 = await store.versions.setDefault('demo', 'iris', 'v2');
    expect(v2.isDefault).toBe(true);
    expect((await store.versions.get('demo', 'iris', 'v1')).isDefault).toBe(false);
    expect((await store.models.get('demo', 'iris')).defaultVersion?.name).toBe(v2.name);
    const refused = await stratusFailure(store.versions.delete('demo', 'iris', 'v2'));
    expect([refused.reason, refused.httpStatus, refused.message]).toEqual([
      'DEFAULT_VERSION_DELETE',
      400,
      'Version "projects/demo/models/iris/versions/v2" is the default version of its model; set another default first',
    ]);
    const missing = await stratusFailure(store.versions.setDefault('demo', 'iris', 'v9'));
    expect(missing.reason).toBe('VERSION_NOT_FOUND');
  });

  it('deletes versions with a finished operation that keeps the version as it was', async () => {
    const operation = await store.versions.delete('demo', 'iris', 'v1');
    expect(operation).toMatchObject({
      done: true,
      metadata: {
        operationType: 'DELETE_VERSION',
        version: { name: 'projects/demo/models/iris/versions/v1', state: 'READY' },
      },
      response: { '@type': 'type.googleapis.com/google.protobuf.Empty' },
    });
    expect(await store.models.getOperation('demo', opId(operation.name))).toEqual(operation);
    await store.versions.delete('demo', 'iris', 'broken');
    // The default may go once it is the last version; the model then has none.
    await store.versions.delete('demo', 'iris', 'v2');
    expect((await store.models.get('demo', 'iris')).defaultVersion).toBeUndefined();
    expect((await store.versions.list('demo', 'iris')).versions).toEqual([]);
    expect((await stratusFailure(store.versions.get('demo', 'iris', 'v2'))).reason).toBe(
      'VERSION_NOT_FOUND',
    );
  });

  it('ends the create operation of a version deleted while CREATING, and a new version of that name has its own', async () => {
    const first = await store.versions.create('demo', 'iris', {
      name: 'again',
      deploymentUri: uri('a'),
    });
    await store.versions.delete('demo', 'iris', 'again');
    const ended = await store.models.getOperation('demo', opId(first.operation.name));
    expect(ended.done).toBe(true);
    expect(ended.error?.message).toBe(
      'Cannot move version "projects/demo/models/iris/versions/again" from CREATING to READY (it was deleted first)',
    );
    const second = await store.versions.create('demo', 'iris', {
      name: 'again',
      deploymentUri: uri('b'),
    });
    await store.versions.finish('demo', 'iris', 'again', { state: 'READY' });
    expect(
      (await store.models.getOperation('demo', opId(first.operation.name))).metadata.version,
    ).toBeUndefined();
    const done = await store.models.getOperation('demo', opId(second.operation.name));
    expect(done.response).toMatchObject({
      '@type': 'type.googleapis.com/google.cloud.ml.v1.Version',
      deploymentUri: uri('b'),
      state: 'READY',
    });
    expect(await store.versions.listPending()).toEqual([]);
  });

  it('stamps lastUseTime on versions that exist', async () => {
    await store.versions.create('demo', 'iris', { name: 'used', deploymentUri: uri('u') });
    expect(
      await store.versions.touch('demo', 'iris', 'used', new Date('2024-06-01T00:00:00.000Z')),
    ).toBe(true);
    expect((await store.versions.get('demo', 'iris', 'used')).lastUseTime).toBe(
      '2024-06-01T00:00:00.000Z',
    );
    expect(await store.versions.touch('demo', 'iris', 'gone')).toBe(false);
    expect(await store.versions.find('demo', 'iris', 'gone')).toBeUndefined();
  });
});

describe('versions from a job (sourceJob)', () => {
  it('refuses a job that has not SUCCEEDED', async () => {
    await store.jobs.create('demo', jobInput('running_job'));
    const error = await stratusFailure(
      store.versions.create('demo', 'iris', {
        name: 'from_running',
        sourceJob: { jobId: 'running_job' },
      }),
    );
    expect([error.reason, error.httpStatus, error.message]).toEqual([
      'SOURCE_JOB_NOT_READY',
      400,
      'Job "projects/demo/jobs/running_job" is QUEUED; a version can only be created from a SUCCEEDED job',
    ]);
    expect(
      (await stratusFailure(store.models.resolveSourceJob('demo', { jobId: 'no_job' }))).reason,
    ).toBe('JOB_NOT_FOUND');
  });

  it('deploys the best trial of a tuning job, or the trial named', async () => {
    await store.jobs.create('demo', jobInput('tuned', { tuning: 'MAXIMIZE' }));
    await store.trials.create('demo', 'tuned', [
      { trialId: '1', hyperparameters: {} },
      { trialId: '2', hyperparameters: {} },
      { trialId: '3', hyperparameters: {} },
    ]);
    await store.jobs.transition('demo', 'tuned', { from: ['QUEUED'], to: 'PREPARING' });
    await store.jobs.transition('demo', 'tuned', { from: ['PREPARING'], to: 'RUNNING' });
    const finish = (trialId: string, objectiveValue: number, state: 'SUCCEEDED' | 'FAILED') =>
      store.trials.recordResult('demo', 'tuned', trialId, {
        state,
        ...(state === 'SUCCEEDED'
          ? {
              finalMetric: { trainingStep: 10, objectiveValue },
              modelDir: `gs://demo/jobs/tuned/${trialId}/model`,
            }
          : { errorMessage: 'boom' }),
      });
    await finish('1', 0.9, 'SUCCEEDED');
    await finish('2', 0.95, 'SUCCEEDED');
    await finish('3', 0, 'FAILED');
    await store.jobs.transition('demo', 'tuned', { from: ['RUNNING'], to: 'SUCCEEDED' });
    const best = await store.versions.create('demo', 'iris', {
      name: 'best',
      sourceJob: { jobId: 'tuned' },
    });
    expect(best.version).toMatchObject({
      deploymentUri: 'gs://demo/jobs/tuned/2/model',
      sourceJob: { jobId: 'tuned' },
    });
    expect(await store.models.resolveSourceJob('demo', { jobId: 'tuned', trialId: '1' })).toBe(
      'gs://demo/jobs/tuned/1/model',
    );
    const failed = await stratusFailure(
      store.models.resolveSourceJob('demo', { jobId: 'tuned', trialId: '3' }),
    );
    expect([failed.reason, failed.violations[0]?.field, failed.message]).toEqual([
      'INVALID_VERSION_SPEC',
      'sourceJob.trialId',
      'Invalid version: sourceJob.trialId: trial 3 of job "projects/demo/jobs/tuned" is FAILED; only a SUCCEEDED or STOPPED trial has a model',
    ]);
    const missing = await stratusFailure(
      store.models.resolveSourceJob('demo', { jobId: 'tuned', trialId: '9' }),
    );
    expect(missing.reason).toBe('TRIAL_NOT_FOUND');
  });
});
