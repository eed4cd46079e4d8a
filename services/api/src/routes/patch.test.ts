import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { JobSchema, OperationSchema, type Job, type Operation, type Version } from '@stratus/spec';
import { errorOf, irisJob, openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi();
});
afterAll(() => t.close());

const as = (method: string, url: string, body?: unknown, token = t.tokens.editor) =>
  t.call(method, url, { token, ...(body === undefined ? {} : { body }) });
const jobs = '/v1/projects/demo/jobs';
const models = '/v1/projects/demo/models';

describe('PATCH a job', () => {
  it('changes its labels (and the label filter sees it), refusing a stale etag with 409 ABORTED', async () => {
    expect(
      (await as('POST', jobs, irisJob('patched', { labels: { team: 'ml' } }))).statusCode,
    ).toBe(200);
    const read = (await as('GET', `${jobs}/patched`)).json() as Job;
    expect(read.etag).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const patched = await as('PATCH', `${jobs}/patched?updateMask=labels&alt=json`, {
      ...read,
      labels: { team: 'ops' },
    });
    expect(patched.statusCode).toBe(200);
    const job = patched.json() as Job;
    expect(Value.Check(JobSchema, job)).toBe(true);
    expect(job.labels).toEqual({ team: 'ops' });
    expect(job.etag).not.toBe(read.etag);
    const filtered = await as('GET', `${jobs}?filter=labels.team%3Dops`);
    expect((filtered.json() as { jobs: Job[] }).jobs.map((j) => j.jobId)).toContain('patched');
    const old = await as('GET', `${jobs}?filter=labels.team%3Dml`);
    expect((old.json() as { jobs?: Job[] }).jobs?.map((j) => j.jobId) ?? []).not.toContain(
      'patched',
    );

    const stale = await as('PATCH', `${jobs}/patched?updateMask=labels`, {
      labels: { team: 'x' },
      etag: read.etag,
    });
    expect(stale.statusCode).toBe(409);
    expect(errorOf(stale)).toMatchObject({ code: 409, reason: 'ETAG_MISMATCH' });
    expect(errorOf(stale).body.status).toBe('ABORTED');
  });

  it('answers 400 naming updateMask when it is missing or names a field that cannot change', async () => {
    await as('POST', jobs, irisJob('masked'));
    const missing = await as('PATCH', `${jobs}/masked`, { labels: { a: 'b' } });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing)).toMatchObject({
      message: 'updateMask: is required: name the fields to change (labels)',
      fields: ['updateMask'],
    });
    const immutable = await as('PATCH', `${jobs}/masked?updateMask=labels,trainingInput`, {});
    expect(immutable.statusCode).toBe(400);
    expect(errorOf(immutable).message).toBe(
      'updateMask: "trainingInput" cannot be updated on a Job; updatable fields: labels',
    );
    const badLabel = await as('PATCH', `${jobs}/masked?updateMask=labels`, {
      labels: { Team: 'x' },
    });
    expect([badLabel.statusCode, errorOf(badLabel).fields]).toEqual([400, ['labels.Team']]);
    const viewer = await as('PATCH', `${jobs}/masked?updateMask=labels`, {}, t.tokens.viewer);
    expect(viewer.statusCode).toBe(403);
    const none = await as('PATCH', `${jobs}/none?updateMask=labels`, {});
    expect(errorOf(none)).toMatchObject({ code: 404, reason: 'JOB_NOT_FOUND' });
  });
});

describe('PATCH models and versions', () => {
  it('returns a finished UPDATE_MODEL operation and checks the etag', async () => {
    await as('POST', models, { name: 'pm', description: 'old' });
    const read = (await as('GET', `${models}/pm`)).json() as { etag: string };
    const patched = await as('PATCH', `${models}/pm?updateMask=description,labels`, {
      description: 'new',
      labels: { a: 'b' },
      etag: read.etag,
    });
    expect(patched.statusCode).toBe(200);
    const operation = patched.json() as Operation;
    expect(Value.Check(OperationSchema, operation)).toBe(true);
    expect(operation).toMatchObject({
      done: true,
      metadata: { operationType: 'UPDATE_MODEL' },
      response: { description: 'new', labels: { a: 'b' } },
    });
    expect((await as('GET', `/v1/${operation.name}`)).json()).toEqual(operation);
    const stale = await as('PATCH', `${models}/pm?updateMask=description`, {
      description: 'again',
      etag: read.etag,
    });
    expect([stale.statusCode, errorOf(stale).body.status]).toEqual([409, 'ABORTED']);
  });

  it('records version scaling fields on create and changes the replica counts on patch', async () => {
    const body = {
      name: 'v1',
      deploymentUri: 'gs://demo/pm/v1',
      description: 'first',
      runtimeVersion: '2.11',
      machineType: 'mls1-c1-m2',
      manualScaling: { nodes: 2 },
    };
    const both = await as('POST', `${models}/pm/versions`, {
      ...body,
      autoScaling: { minNodes: 1 },
    });
    expect([both.statusCode, errorOf(both).message]).toEqual([
      400,
      'Invalid version: manualScaling: set either autoScaling or manualScaling, not both',
    ]);
    const machine = await as('POST', `${models}/pm/versions`, { ...body, machineType: 'tpu' });
    expect([machine.statusCode, errorOf(machine).fields]).toEqual([400, ['machineType']]);
    expect((await as('POST', `${models}/pm/versions`, body)).statusCode).toBe(200);
    const created = (await as('GET', `${models}/pm/versions/v1`)).json() as Version;
    expect(created).toMatchObject({
      description: 'first',
      runtimeVersion: '2.11',
      machineType: 'mls1-c1-m2',
      manualScaling: { nodes: 2 },
    });
    const patched = await as('PATCH', `${models}/pm/versions/v1?updateMask=manualScaling.nodes`, {
      manualScaling: { nodes: 5 },
      description: 'not masked',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      done: true,
      metadata: { operationType: 'UPDATE_VERSION' },
      response: { manualScaling: { nodes: 5 }, description: 'first' },
    });
    const wrong = await as('PATCH', `${models}/pm/versions/v1?updateMask=machineType`, {});
    expect(errorOf(wrong).message).toBe(
      'updateMask: "machineType" cannot be updated on a Version; updatable fields: description, labels, manualScaling.nodes, autoScaling.minNodes',
    );
  });
});

describe('POST operations/{op}:cancel', () => {
  it('cancels a deploy not yet done and is a no-op once the operation is done', async () => {
    await as('POST', models, { name: 'cm' });
    const created = await as('POST', `${models}/cm/versions`, {
      name: 'v1',
      deploymentUri: 'gs://demo/cm/v1',
    });
    const operation = created.json() as Operation;
    const cancel = await as('POST', `/v1/${operation.name}:cancel`, {});
    expect([cancel.statusCode, cancel.json()]).toEqual([200, {}]);
    const done = (await as('GET', `/v1/${operation.name}`)).json() as Operation;
    expect(done).toMatchObject({ done: true, error: { code: 1 } });
    expect(done.error?.message).toBe(`Operation "${operation.name}" was cancelled`);
    const version = (await as('GET', `${models}/cm/versions/v1`)).json() as Version;
    expect(version.state).toBe('FAILED');
    const again = await as('POST', `/v1/${operation.name}:cancel`);
    expect([again.statusCode, again.json()]).toEqual([200, {}]);
    expect((await as('GET', `/v1/${operation.name}`)).json()).toEqual(done);
    const missing = await as('POST', '/v1/projects/demo/operations/nope:cancel', {});
    expect(errorOf(missing)).toMatchObject({ code: 404, reason: 'OPERATION_NOT_FOUND' });
    const viewer = await as('POST', `/v1/${operation.name}:cancel`, {}, t.tokens.viewer);
    expect(viewer.statusCode).toBe(403);
  });
});
