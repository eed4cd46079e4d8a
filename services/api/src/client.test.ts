import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StratusClient } from '@stratus/client';
import { apiErrorOf as failure, clientsFor } from '@stratus/client/testing';
import { irisJob, openTestApi, type TestApi } from './api.test-support.js';

let t: TestApi;
let baseUrl: string;
let editor: StratusClient;
let admin: StratusClient;

beforeAll(async () => {
  t = await openTestApi();
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  ({ editor, admin } = clientsFor(baseUrl, 'demo', t.tokens));
});
afterAll(() => t.close());

describe('@stratus/client against the real server', () => {
  it('creates, gets, lists and cancels jobs', async () => {
    const created = await editor.jobs.create(irisJob('client_1', { labels: { team: 'x' } }));
    expect(created.state).toBe('QUEUED');
    await editor.jobs.create(irisJob('client_2'));
    await editor.jobs.create(irisJob('client_3', { labels: { team: 'x' } }));
    expect((await editor.jobs.get('client_1')).labels).toEqual({ team: 'x' });
    const page = await editor.jobs.list({ pageSize: 2 });
    expect(page.jobs.map((job) => job.jobId)).toEqual(['client_3', 'client_2']);
    expect(page.nextPageToken).toBeDefined();
    const all: string[] = [];
    for await (const job of editor.jobs.listAll({ pageSize: 1, filter: 'labels.team=x' })) {
      all.push(job.jobId);
    }
    expect(all).toEqual(['client_3', 'client_1']);
    expect((await editor.jobs.cancel('client_2')).state).toBe('CANCELLED');
    expect((await editor.jobs.get('client_2')).state).toBe('CANCELLED');
  });

  it('throws StratusApiError with code, status, reason, message and field violations', async () => {
    const invalid = await failure(editor.jobs.create({ ...irisJob('client_bad'), jobId: '1bad' }));
    expect(invalid).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      reason: 'INVALID_JOB_SPEC',
      fieldViolations: [
        {
          field: 'jobId',
          description:
            'must start with a letter and contain only letters, digits and underscores (at most 128 characters) (got "1bad")',
        },
      ],
    });
    expect(invalid.message).toMatch(/^Invalid job: jobId: /);
    expect(invalid.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await failure(editor.jobs.get('client_none'));
    expect(missing).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
      reason: 'JOB_NOT_FOUND',
      message: 'Job "projects/demo/jobs/client_none" not found',
      metadata: { name: 'projects/demo/jobs/client_none' },
    });
    const conflict = await failure(editor.jobs.create(irisJob('client_1')));
    expect(conflict.reason).toBe('JOB_ALREADY_EXISTS');
    const foreign = await failure(editor.withProject('other').jobs.list());
    expect(foreign).toMatchObject({ code: 404, reason: 'PROJECT_NOT_FOUND' });
    const anonymous = await failure(new StratusClient({ baseUrl, project: 'demo' }).jobs.list());
    expect(anonymous).toMatchObject({ code: 401, reason: 'UNAUTHENTICATED' });
  });

  it('manages tokens', async () => {
    const created = await admin.tokens.create({
      project: 'demo',
      role: 'viewer',
      description: 'c',
    });
    const viewer = new StratusClient({ baseUrl, token: created.token, project: 'demo' });
    expect((await viewer.jobs.list()).jobs.length).toBeGreaterThan(0);
    expect((await admin.tokens.list()).tokens.map((token) => token.tokenId)).toContain(
      created.tokenId,
    );
    const denied = await failure(viewer.jobs.cancel('client_1'));
    expect(denied).toMatchObject({ code: 403, reason: 'PERMISSION_DENIED' });
    await admin.tokens.revoke(created.tokenId);
    expect((await failure(viewer.jobs.list())).code).toBe(401);
  });

  it('lists workers and queues, and reports health and readiness', async () => {
    await t.store.workers.heartbeat(
      {
        workerId: 'w-1',
        backend: 'cpu',
        gpu: null,
        queues: ['cpu'],
        busyTrials: 0,
        capacity: 2,
        load: 0.1,
        host: 'box',
        pid: 42,
      },
      30,
    );
    const { workers, queues } = await editor.workers.list();
    expect(workers.map((worker) => [worker.workerId, worker.capacity])).toEqual([['w-1', 2]]);
    expect(queues.map((queue) => queue.kind)).toEqual(['cpu', 'gpu']);
    expect(await new StratusClient({ baseUrl }).health()).toEqual({ status: 'ok' });
    expect((await new StratusClient({ baseUrl }).ready()).checks).toEqual({
      redis: 'ok',
      storage: 'ok',
    });
  });

  it('reports an unreachable server as a StratusApiError with code 0', async () => {
    const nowhere = new StratusClient({ baseUrl: 'http://127.0.0.1:1', token: 'x' });
    expect(await failure(nowhere.health())).toMatchObject({
      code: 0,
      status: 'UNAVAILABLE',
      reason: 'CONNECTION_FAILED',
    });
  });
});
