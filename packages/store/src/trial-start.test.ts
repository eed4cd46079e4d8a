import { afterAll, describe, expect, it } from 'vitest';
import type { ResolvedHyperparameterSpec } from '@stratus/spec';
import { createJobStore } from './store.js';
import { createProjectSlots } from './project-slots.js';
import type { JobStateEvent } from './events.js';
import type { TrialSlot } from './trial-start.js';
import { jobInput, openTestStore } from '../../../tests/support/test-store.js';

const t = openTestStore();
const { store } = t;
const slots = createProjectSlots(t.redis, t.prefix);
// A second worker, on a connection of its own.
const other = createJobStore({ redis: t.connect(), prefix: t.prefix });
afterAll(() => t.close());

const LEASE = 60_000;
let counter = 0;

/** A job with `trials` QUEUED trials ("1".."N"). */
const newJob = async (project: string, trials = 1): Promise<string> => {
  counter += 1;
  const jobId = `start_${counter}`;
  await store.jobs.create(project, jobInput(jobId), {
    trials: Array.from({ length: trials }, () => ({})),
  });
  return jobId;
};

const slot = (jobId: string, trialId: string, worker: string, limit = 2, leaseMs = LEASE) =>
  ({ holder: `${jobId}/${trialId}/${worker}`, limit, leaseMs }) satisfies TrialSlot;

describe('starting a trial', () => {
  it('claims the trial, takes a slot and moves a QUEUED job to PREPARING in one step', async () => {
    const events: JobStateEvent[] = [];
    const subscription = await store.events.subscribeJobStates((event) => {
      events.push(event);
    });
    const tuning = {
      goal: 'MAXIMIZE',
      hyperparameterMetricTag: 'val_accuracy',
      maxTrials: 4,
      maxParallelTrials: 2,
      params: [],
    } as unknown as ResolvedHyperparameterSpec;
    const jobId = 'start_tuned';
    await store.jobs.create('alpha', jobInput(jobId, { tuning: 'MAXIMIZE' }), {
      trials: [{ learningRate: '0.01' }],
      tuning,
    });
    const started = await store.trials.start('alpha', jobId, '1', {
      workerId: 'w1',
      slot: slot(jobId, '1', 'w1'),
    });
    expect(started).toMatchObject({
      ok: true,
      attempt: 1,
      previousState: 'QUEUED',
      hyperparameters: { learningRate: '0.01' },
      job: { jobId, state: 'PREPARING', trainingInput: { jobDir: `gs://demo/jobs/${jobId}` } },
      tuning,
    });
    expect(await store.trials.get('alpha', jobId, '1')).toMatchObject({
      state: 'RUNNING',
      workerId: 'w1',
      attempts: 1,
    });
    expect(await slots.holders('alpha')).toEqual([`${jobId}/1/w1`]);
    const job = await store.jobs.get('alpha', jobId);
    expect(job.state).toBe('PREPARING');
    expect(job.startTime).toBeDefined();
    expect((await store.jobs.list('alpha', { filter: 'state=PREPARING' })).jobs).toHaveLength(1);
    expect((await store.jobs.list('alpha', { filter: 'state=QUEUED' })).jobs).toHaveLength(0);
    await expect
      .poll(() => events.filter((e) => e.jobId === jobId))
      .toMatchObject([{ project: 'alpha', jobId, from: 'QUEUED', to: 'PREPARING' }]);
    // The second trial of a PREPARING job leaves the job where it is.
    await store.trials.create('alpha', jobId, [{ trialId: '2', hyperparameters: {} }]);
    const second = await store.trials.start('alpha', jobId, '2', {
      workerId: 'w2',
      slot: slot(jobId, '2', 'w2'),
    });
    expect(second).toMatchObject({ ok: true, job: { state: 'PREPARING' } });
    await subscription.close();
  });

  it('answers a job missing or no longer live without writing anything', async () => {
    expect(
      await store.trials.start('alpha', 'start_missing', '1', {
        workerId: 'w1',
        slot: slot('start_missing', '1', 'w1'),
      }),
    ).toEqual({ ok: false, reason: 'JOB_NOT_FOUND' });
    const jobId = await newJob('gone');
    await store.jobs.transition('gone', jobId, { from: ['QUEUED'], to: 'CANCELLING' });
    expect(
      await store.trials.start('gone', jobId, '1', {
        workerId: 'w1',
        slot: slot(jobId, '1', 'w1'),
      }),
    ).toEqual({ ok: false, reason: 'JOB_NOT_LIVE', state: 'CANCELLING' });
    expect(await slots.holders('gone')).toEqual([]);
    expect((await store.trials.get('gone', jobId, '1'))?.state).toBe('QUEUED');
  });
});

describe('project running-trial slots', () => {
  it('grants up to the limit across workers, per project, and frees a released slot', async () => {
    const jobId = await newJob('slots', 3);
    const start = (trialId: string, worker: string, project = 'slots') =>
      (worker === 'w1' ? store : other).trials.start(project, jobId, trialId, {
        workerId: worker,
        slot: slot(jobId, trialId, worker),
      });
    expect(await start('1', 'w1')).toMatchObject({ ok: true });
    expect(await start('2', 'w2')).toMatchObject({ ok: true });
    // Full: refused with nothing written, the trial still QUEUED and its attempt not counted.
    expect(await start('3', 'w2')).toEqual({ ok: false, reason: 'PROJECT_FULL', held: 2 });
    expect(await store.trials.get('slots', jobId, '3')).toMatchObject({
      state: 'QUEUED',
      attempts: 0,
    });
    // A holder that has a slot keeps it (a retry on the same worker).
    expect(await start('1', 'w1')).toMatchObject({ ok: true, attempt: 2 });
    // Another project has slots of its own.
    const beta = await newJob('beta');
    expect(
      await store.trials.start('beta', beta, '1', { workerId: 'w1', slot: slot(beta, '1', 'w1') }),
    ).toMatchObject({ ok: true });
    await slots.release('slots', `${jobId}/1/w1`);
    expect(await start('3', 'w2')).toMatchObject({ ok: true });
    expect((await slots.holders('slots')).sort()).toEqual([`${jobId}/2/w2`, `${jobId}/3/w2`]);
  });

  it('grants exactly the limit when starts race', async () => {
    const jobId = await newJob('race', 10);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => {
        const trialId = String(i + 1);
        return (i % 2 === 0 ? store : other).trials.start('race', jobId, trialId, {
          workerId: `w${i}`,
          slot: slot(jobId, trialId, `w${i}`, 3),
        });
      }),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(3);
    expect(await slots.holders('race')).toHaveLength(3);
    const trials = await store.trials.list('race', jobId);
    expect(trials.filter((trial) => trial.state === 'RUNNING')).toHaveLength(3);
  });

  it("lets a dead worker's slot lapse after its lease while a renewed one stays", async () => {
    const lease = 300;
    const jobId = await newJob('crash', 3);
    const start = (trialId: string, worker: string) =>
      store.trials.start('crash', jobId, trialId, {
        workerId: worker,
        slot: slot(jobId, trialId, worker, 2, lease),
      });
    expect(await start('1', 'dead')).toMatchObject({ ok: true });
    expect(await start('2', 'alive')).toMatchObject({ ok: true });
    const alive = { project: 'crash', holder: `${jobId}/2/alive` };
    // The live worker renews with its heartbeat; the dead one never does, so
    // the third trial starts once the dead worker's lease has run out.
    let next = await start('3', 'new');
    while (!next.ok) {
      await slots.renew([alive], lease);
      await new Promise((resolve) => setTimeout(resolve, 50));
      next = await start('3', 'new');
    }
    await slots.renew([alive, { project: 'crash', holder: `${jobId}/3/new` }], LEASE);
    const expected = [`${jobId}/2/alive`, `${jobId}/3/new`];
    expect((await slots.holders('crash')).sort()).toEqual(expected);
    // A lapsed holder is not revived by a renew.
    await slots.renew([{ project: 'crash', holder: `${jobId}/1/dead` }], LEASE);
    expect((await slots.holders('crash')).sort()).toEqual(expected);
  });
});
