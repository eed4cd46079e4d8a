import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListWorkersResponseSchema, schemaViolations, type Worker } from '@stratus/spec';
import { openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi();
  // One worker busy with a trial of each project, as services/worker's heartbeat reports it.
  await t.store.workers.heartbeat(
    {
      workerId: 'box-1a2b3c4d',
      backend: 'wasm',
      gpu: null,
      queues: ['cpu'],
      busyTrials: 3,
      busyTrialIds: ['demo/iris_1/1', 'other/secret_job/4', 'other/secret_job/5'],
      capacity: 4,
      load: 1.5,
      host: 'box',
      pid: 4242,
    },
    30,
  );
});
afterAll(() => t.close());

const workersSeenBy = async (token: string): Promise<Worker[]> => {
  const response = await t.call('GET', '/v1/workers', { token });
  expect(response.statusCode).toBe(200);
  const body: unknown = response.json();
  expect(schemaViolations(ListWorkersResponseSchema, body)).toEqual([]);
  return (body as { workers: Worker[] }).workers;
};

const shared = {
  workerId: 'box-1a2b3c4d',
  backend: 'wasm',
  gpu: null,
  queues: ['cpu'],
  busyTrials: 3,
  capacity: 4,
  load: 1.5,
  host: 'box',
};

describe('GET /v1/workers scoping', () => {
  it('shows a project token only its own trials and no pid', async () => {
    const [demo] = await workersSeenBy(t.tokens.editor);
    expect(demo).toEqual({
      ...shared,
      busyTrialIds: ['demo/iris_1/1'],
      lastHeartbeatTime: demo?.lastHeartbeatTime,
      expireTime: demo?.expireTime,
    });
    const [other] = await workersSeenBy(t.tokens.otherEditor);
    expect(other?.busyTrialIds).toEqual(['other/secret_job/4', 'other/secret_job/5']);
    expect(other && 'pid' in other).toBe(false);
    const [viewer] = await workersSeenBy(t.tokens.viewer);
    expect(viewer?.busyTrialIds).toEqual(['demo/iris_1/1']);
    expect(viewer && 'pid' in viewer).toBe(false);
  });

  it('never leaks another project’s job names or the pid in the raw body', async () => {
    const response = await t.call('GET', '/v1/workers', { token: t.tokens.editor });
    expect(response.body).not.toContain('secret_job');
    expect(response.body).not.toContain('4242');
  });

  it('shows an admin token every trial and the pid', async () => {
    const [admin] = await workersSeenBy(t.tokens.admin);
    expect(admin).toMatchObject({
      ...shared,
      pid: 4242,
      busyTrialIds: ['demo/iris_1/1', 'other/secret_job/4', 'other/secret_job/5'],
    });
  });

  it('lists a heartbeat without trial ids (an older worker) with none', async () => {
    await t.store.workers.heartbeat({ ...shared, workerId: 'old-1', busyTrials: 1, pid: 7 }, 30);
    const workers = await workersSeenBy(t.tokens.admin);
    expect(workers.find((w) => w.workerId === 'old-1')?.busyTrialIds).toEqual([]);
  });
});
