import { afterAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../../tests/support/test-store.js';
import type { WorkerInfo } from './workers.js';

const t = openTestStore();
const { store } = t;
afterAll(() => t.close());

const worker = (workerId: string, busyTrials = 0): WorkerInfo => ({
  workerId,
  backend: 'wasm',
  gpu: null,
  queues: ['cpu'],
  busyTrials,
  capacity: 2,
  load: 0.5,
  host: 'box-1',
  pid: 4242,
});

describe('worker heartbeats', () => {
  it('lists live workers with their latest report', async () => {
    await store.workers.heartbeat(worker('w1'), 30);
    await store.workers.heartbeat(worker('w2'), 30);
    await store.workers.heartbeat(worker('w1', 2), 30);
    const workers = await store.workers.list();
    expect(workers.map((w) => [w.workerId, w.busyTrials])).toEqual([
      ['w1', 2],
      ['w2', 0],
    ]);
    expect(workers[0]).toMatchObject({ ...worker('w1', 2) });
    expect(
      Date.parse(workers[0]?.expireTime ?? '') - Date.parse(workers[0]?.lastHeartbeatTime ?? ''),
    ).toBe(30_000);
    await store.workers.remove('w2');
    expect((await store.workers.list()).map((w) => w.workerId)).toEqual(['w1']);
  });

  it('drops a worker whose heartbeat expired', async () => {
    await store.workers.heartbeat(worker('short'), 1);
    expect((await store.workers.list()).map((w) => w.workerId)).toContain('short');
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await store.workers.list()).map((w) => w.workerId)).not.toContain('short');
    expect(await t.redis.zscore(store.keys.workers.all, 'short')).toBeNull();
  });

  it('rejects worker ids that cannot be part of a key', async () => {
    await expect(store.workers.heartbeat(worker('has space'), 5)).rejects.toMatchObject({
      reason: 'INVALID_ARGUMENT',
      message: 'workerId "has space" must be 1-128 letters, digits or _ . : -',
    });
  });
});
