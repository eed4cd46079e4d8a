import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWorker, type StratusWorker } from './worker.js';
import { irisInput, workerFixture, type WorkerFixture } from './worker.test-support.js';

let fixture: WorkerFixture;
let worker: StratusWorker;

beforeAll(async () => {
  fixture = await workerFixture({ STRATUS_QUEUES: 'gpu,cpu', STRATUS_WORKER_CONCURRENCY: '1' });
  worker = await startWorker(fixture.config, { heartbeatIntervalMs: 500 });
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await fixture?.close();
}, 60_000);

describe('a worker serving the gpu and cpu queues', () => {
  it('runs both kinds of trial but never more at once than its concurrency', async () => {
    const [status] = await fixture.store.workers.list();
    expect(status?.queues).toEqual(['gpu', 'cpu']);
    await Promise.all([
      fixture.submit({
        jobId: 'gpu_job',
        trainingInput: {
          ...irisInput('gpu_job', { epochs: 10, batchSize: 4 }),
          scaleTier: 'BASIC_GPU',
        },
      }),
      fixture.submit({
        jobId: 'cpu_job',
        trainingInput: irisInput('cpu_job', { epochs: 10, batchSize: 4 }),
      }),
    ]);
    let most = 0;
    const states = async () =>
      Promise.all(
        ['gpu_job', 'cpu_job'].map(async (id) => (await fixture.store.jobs.get('demo', id)).state),
      );
    while (!(await states()).every((state) => state === 'SUCCEEDED' || state === 'FAILED')) {
      const trials = await Promise.all(
        ['gpu_job', 'cpu_job'].map((id) => fixture.store.trials.get('demo', id, '1')),
      );
      most = Math.max(most, trials.filter((trial) => trial?.state === 'RUNNING').length);
      await sleep(10);
    }
    expect(await states()).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(most).toBe(1);
  });
});
