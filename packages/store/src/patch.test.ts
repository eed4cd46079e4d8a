import { afterAll, describe, expect, it } from 'vitest';
import { parseUpdateMask, assertValidPatch, type PatchKind } from '@stratus/spec';
import { etagOf } from './etag.js';
import { createJobStore } from './store.js';
import { jobInput, openTestStore, stratusFailure } from '../../../tests/support/test-store.js';

const NOW = '2024-05-01T12:00:00.000Z';
const t = openTestStore({ now: () => new Date(NOW) });
const { store } = t;
afterAll(() => t.close());

/** A patch request as the API builds it from `?updateMask=` and the body. */
const patch = (kind: PatchKind, mask: string, body: unknown) =>
  assertValidPatch(kind, body, parseUpdateMask(kind, mask));

const labelled = async (project: string, filter: string): Promise<string[]> =>
  (await store.jobs.list(project, { filter })).jobs.map((job) => job.jobId);

describe('patching a job', () => {
  it('replaces its labels and moves it between the label indexes in the same step', async () => {
    await store.jobs.create('jp', jobInput('a', { labels: { team: 'ml', stage: 'dev' } }));
    await store.jobs.create('jp', jobInput('b', { labels: { team: 'ml' } }));
    const before = await store.jobs.get('jp', 'a');
    expect(before.etag).toBe(etagOf('1'));
    const job = await store.jobs.patch(
      'jp',
      'a',
      patch('job', 'labels', { labels: { team: 'ops', stage: 'dev' }, state: 'ignored' }),
    );
    expect([job.labels, job.etag, job.state]).toEqual([
      { team: 'ops', stage: 'dev' },
      etagOf('2'),
      'QUEUED',
    ]);
    expect(await labelled('jp', 'labels.team=ml')).toEqual(['b']);
    expect(await labelled('jp', 'labels.team=ops')).toEqual(['a']);
    expect(await labelled('jp', 'labels.stage=dev')).toEqual(['a']);
    // A masked field the body leaves out is cleared, as FieldMask updates do.
    const cleared = await store.jobs.patch('jp', 'a', patch('job', 'labels', {}));
    expect(cleared.labels).toBeUndefined();
    expect(await labelled('jp', 'labels.stage=dev')).toEqual([]);
    expect(await labelled('jp', 'labels.team=ops')).toEqual([]);
    const keys = await t.redis.keys(`${t.prefix}:*jobs:label:*`);
    const members = await Promise.all(keys.map((key) => t.redis.zrange(key, 0, -1)));
    expect(members.flat().sort()).toEqual(['b']);
  });

  it('applies only while the etag in the body is current: 409 ABORTED otherwise', async () => {
    await store.jobs.create('jp', jobInput('c', { labels: { team: 'ml' } }));
    const read = await store.jobs.get('jp', 'c');
    await store.jobs.patch(
      'jp',
      'c',
      patch('job', 'labels', { labels: { team: 'a' }, etag: read.etag }),
    );
    const stale = await stratusFailure(
      store.jobs.patch(
        'jp',
        'c',
        patch('job', 'labels', { labels: { team: 'b' }, etag: read.etag }),
      ),
    );
    expect([stale.reason, stale.httpStatus, stale.status, stale.message]).toEqual([
      'ETAG_MISMATCH',
      409,
      'ABORTED',
      `The etag "${read.etag}" does not match the current etag of job "projects/jp/jobs/c": it changed since it was read; read it again and retry`,
    ]);
    expect((await store.jobs.get('jp', 'c')).labels).toEqual({ team: 'a' });
    expect(await labelled('jp', 'labels.team=b')).toEqual([]);
    const missing = await stratusFailure(
      store.jobs.patch('jp', 'nope', patch('job', 'labels', {})),
    );
    expect(missing.reason).toBe('JOB_NOT_FOUND');
  });

  it('keeps the indexes consistent under concurrent patches from many connections', async () => {
    await store.jobs.create('race', jobInput('r', { labels: { n: '0' } }));
    const racers = Array.from({ length: 8 }, () =>
      createJobStore({ redis: t.connect(), prefix: t.prefix }),
    );
    await Promise.all(
      racers.map((racer, i) =>
        racer.jobs.patch('race', 'r', patch('job', 'labels', { labels: { n: String(i + 1) } })),
      ),
    );
    const job = await store.jobs.get('race', 'r');
    expect(job.etag).toBe(etagOf('9'));
    const keys = await t.redis.keys(`${t.prefix}:{p:race}:jobs:label:*`);
    const indexed = (
      await Promise.all(keys.map(async (key) => ((await t.redis.zcard(key)) > 0 ? [key] : [])))
    ).flat();
    expect(indexed).toEqual([`${t.prefix}:{p:race}:jobs:label:n=${job.labels?.n ?? ''}`]);
  });
});

describe('patching models and versions', () => {
  it('changes a model and returns the finished UPDATE_MODEL operation', async () => {
    await store.models.create('mp', { name: 'iris', description: 'old', labels: { a: 'b' } });
    const operation = await store.models.patch(
      'mp',
      'iris',
      patch('model', 'description', { description: 'new', labels: { x: 'y' } }),
    );
    expect(operation).toMatchObject({
      name: expect.stringMatching(/^projects\/mp\/operations\/update_iris-\d+-[0-9a-f]{4}$/),
      metadata: { operationType: 'UPDATE_MODEL', modelName: 'projects/mp/models/iris' },
      done: true,
      response: {
        '@type': 'type.googleapis.com/google.cloud.ml.v1.Model',
        name: 'projects/mp/models/iris',
        description: 'new',
        labels: { a: 'b' },
        etag: etagOf('2'),
      },
    });
    const model = await store.models.get('mp', 'iris');
    expect([model.description, model.labels, model.etag]).toEqual(['new', { a: 'b' }, etagOf('2')]);
    const id = operation.name.split('/').pop() ?? '';
    expect(await store.models.getOperation('mp', id)).toEqual(operation);
    const stale = await stratusFailure(
      store.models.patch('mp', 'iris', patch('model', 'labels', { etag: etagOf('1') })),
    );
    expect([stale.reason, stale.status]).toEqual(['ETAG_MISMATCH', 'ABORTED']);
  });

  it('changes a version and keeps autoScaling and manualScaling exclusive', async () => {
    await store.versions.create('mp', 'iris', {
      name: 'v1',
      deploymentUri: 'gs://mp/iris/v1',
      runtimeVersion: '2.11',
      machineType: 'n1-standard-4',
      autoScaling: { minNodes: 1, maxNodes: 4 },
    });
    const operation = await store.versions.patch(
      'mp',
      'iris',
      'v1',
      patch('version', 'autoScaling.minNodes,description', {
        description: 'scaled',
        autoScaling: { minNodes: 3, maxNodes: 99 },
      }),
    );
    const version = await store.versions.get('mp', 'iris', 'v1');
    expect(version).toMatchObject({
      description: 'scaled',
      runtimeVersion: '2.11',
      machineType: 'n1-standard-4',
      autoScaling: { minNodes: 3, maxNodes: 4 },
      etag: etagOf('2'),
    });
    expect(operation).toMatchObject({
      metadata: { operationType: 'UPDATE_VERSION', version },
      done: true,
      response: { '@type': 'type.googleapis.com/google.cloud.ml.v1.Version', ...version },
    });
    const both = await stratusFailure(
      store.versions.patch(
        'mp',
        'iris',
        'v1',
        patch('version', 'manualScaling.nodes', { manualScaling: { nodes: 2 } }),
      ),
    );
    expect([both.reason, both.httpStatus, both.message]).toEqual([
      'INVALID_VERSION_SPEC',
      400,
      'Invalid version: manualScaling: set either autoScaling or manualScaling, not both',
    ]);
    expect((await store.versions.get('mp', 'iris', 'v1')).etag).toBe(etagOf('2'));
    const missing = await stratusFailure(
      store.versions.patch('mp', 'iris', 'v9', patch('version', 'description', {})),
    );
    expect(missing.reason).toBe('VERSION_NOT_FOUND');
    const noModel = await stratusFailure(
      store.versions.patch('mp', 'nope', 'v1', patch('version', 'description', {})),
    );
    expect(noModel.reason).toBe('MODEL_NOT_FOUND');
  });
});

describe('cancelling an operation', () => {
  it('ends a deploy not yet done: version FAILED, operation done with CANCELLED; later reports refused', async () => {
    await store.models.create('cp', { name: 'm' });
    const { operation } = await store.versions.create('cp', 'm', {
      name: 'v1',
      deploymentUri: 'gs://cp/m/v1',
    });
    const id = operation.name.split('/').pop() ?? '';
    await store.models.cancelOperation('cp', id);
    const done = await store.models.getOperation('cp', id);
    expect(done.done).toBe(true);
    expect(done.response).toBeUndefined();
    expect(done.error).toMatchObject({
      code: 1,
      message: `Operation "projects/cp/operations/${id}" was cancelled`,
    });
    const version = await store.versions.get('cp', 'm', 'v1');
    expect([version.state, version.errorMessage]).toEqual([
      'FAILED',
      `Operation "projects/cp/operations/${id}" was cancelled`,
    ]);
    const pending = await store.versions.listPending();
    expect(pending.filter((entry) => entry.project === 'cp')).toEqual([]);
    expect(await store.versions.finish('cp', 'm', 'v1', { state: 'READY' })).toEqual({
      ok: false,
      state: 'FAILED',
    });
    // A done operation is left as it is.
    await store.models.cancelOperation('cp', id);
    expect(await store.models.getOperation('cp', id)).toEqual(done);
    const missing = await stratusFailure(store.models.cancelOperation('cp', 'nope'));
    expect(missing.reason).toBe('OPERATION_NOT_FOUND');
  });

  it('leaves a finished deploy alone', async () => {
    const { operation } = await store.versions.create('cp', 'm', {
      name: 'v2',
      deploymentUri: 'gs://cp/m/v2',
    });
    await store.versions.finish('cp', 'm', 'v2', { state: 'READY' });
    const id = operation.name.split('/').pop() ?? '';
    const before = await store.models.getOperation('cp', id);
    await store.models.cancelOperation('cp', id);
    expect(await store.models.getOperation('cp', id)).toEqual(before);
    expect((await store.versions.get('cp', 'm', 'v2')).state).toBe('READY');
  });
});
