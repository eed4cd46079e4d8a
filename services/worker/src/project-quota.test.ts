/**
 * STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT with a real worker: a project at its
 * quota waits (its trial stays QUEUED, one log line says why) while another
 * project's trial takes the free capacity.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectSlots } from '@stratus/store';
import { runControllerStep } from '@stratus/lifecycle';
import { startWorker, type StratusWorker } from './worker.js';
import { irisInput, workerFixture, type WorkerFixture } from './worker.test-support.js';

let fixture: WorkerFixture;
let worker: StratusWorker;

beforeAll(async () => {
  fixture = await workerFixture({
    STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT: '2',
    STRATUS_WORKER_CONCURRENCY: '3',
  });
  // Project beta trains from a bucket of its own.
  await fixture.storage.write(
    'gs://beta-data/iris.csv',
    await fixture.storage.read('gs://demo/data/iris.csv'),
  );
  worker = await startWorker(fixture.config, { heartbeatIntervalMs: 500, quotaRetryMs: 100 });
}, 120_000);

afterAll(async () => {
  await worker?.close();
  await fixture?.close();
}, 60_000);

const JOBS = [
  ['alpha', 'a1'],
  ['alpha', 'a2'],
  ['alpha', 'a3'],
  ['beta', 'b1'],
] as const;

const submit = async (project: string, jobId: string): Promise<void> => {
  const beta = project === 'beta';
  const trainingInput = irisInput(jobId, {
    epochs: 40,
    batchSize: 4,
    ...(beta ? { trainingData: 'gs://beta-data/iris.csv' } : {}),
  });
  await fixture.store.jobs.create(project, {
    jobId,
    trainingInput: beta
      ? { ...trainingInput, jobDir: `gs://beta-data/jobs/${jobId}` }
      : trainingInput,
  });
  await runControllerStep(fixture, project, jobId);
};

describe('running trials per project', () => {
  it('runs at most 2 trials of alpha at once while beta runs beside them', async () => {
    // In queue order: the worker (capacity 3) takes a1, a2 and a3; a3 finds alpha
    // at its quota and goes back to the delayed set, and b1 takes the free place.
    for (const [project, jobId] of JOBS) await submit(project, jobId);
    const slots = createProjectSlots(fixture.redis, fixture.config.redisPrefix);
    let mostAlpha = 0;
    let mostAlphaSlots = 0;
    let betaBesideTwoAlpha = false;
    const trialStates = () =>
      Promise.all(JOBS.map(([project, jobId]) => fixture.store.trials.get(project, jobId, '1')));
    for (;;) {
      const [trials, alphaSlots] = await Promise.all([trialStates(), slots.holders('alpha')]);
      const running = trials.map((trial) => trial?.state === 'RUNNING');
      const alpha = running.slice(0, 3).filter(Boolean).length;
      mostAlpha = Math.max(mostAlpha, alpha);
      mostAlphaSlots = Math.max(mostAlphaSlots, alphaSlots.length);
      if (alpha === 2 && running[3] === true) betaBesideTwoAlpha = true;
      const jobs = await Promise.all(JOBS.map(([p, id]) => fixture.store.jobs.get(p, id)));
      if (jobs.every((job) => ['SUCCEEDED', 'FAILED'].includes(job.state))) break;
      await sleep(10);
    }
    const jobs = await Promise.all(JOBS.map(([p, id]) => fixture.store.jobs.get(p, id)));
    expect(jobs.map((job) => job.state)).toEqual([
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
      'SUCCEEDED',
    ]);
    expect(mostAlpha).toBe(2);
    expect(mostAlphaSlots).toBe(2);
    expect(betaBesideTwoAlpha).toBe(true);
    // The waiting trial said so once, however often it was tried again.
    const { entries } = await fixture.store.streams.readLogs('alpha', 'a3', { count: 1000 });
    expect(
      entries.filter((entry) => entry.message.startsWith('Trial 1 waits')).map((e) => e.message),
    ).toEqual([
      'Trial 1 waits: project alpha runs 2 trials, the limit of 2 (STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT); it starts when one ends',
    ]);
    // Every slot is given back (just after its job's last state change).
    while ((await slots.holders('alpha')).length + (await slots.holders('beta')).length > 0) {
      await sleep(10);
    }
  }, 240_000);
});
