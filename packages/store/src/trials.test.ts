import { afterAll, describe, expect, it } from 'vitest';
import { createJobStore } from './store.js';
import { jobInput, openTestStore, startTrialAs } from '../../../tests/support/test-store.js';

const t = openTestStore();
const { store } = t;
afterAll(() => t.close());

let counter = 0;
const newJob = async (goal?: 'MAXIMIZE' | 'MINIMIZE'): Promise<string> => {
  counter += 1;
  const jobId = `job_${counter}`;
  await store.jobs.create('demo', jobInput(jobId, goal === undefined ? {} : { tuning: goal }));
  return jobId;
};

const trial = (trialId: string, learningRate = '0.01') => ({
  trialId,
  hyperparameters: { learningRate },
});

describe('trials', () => {
  it('hands out trial ids with INCR', async () => {
    const jobId = await newJob('MAXIMIZE');
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => store.trials.nextId('demo', jobId)),
    );
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 20 }, (_, i) => String(i + 1)),
    );
  });

  it('creates QUEUED trials once, and refuses trials of a missing job', async () => {
    const jobId = await newJob('MAXIMIZE');
    expect(await store.trials.create('demo', jobId, [trial('1'), trial('2', '0.1')])).toEqual([
      true,
      true,
    ]);
    expect(await store.trials.create('demo', jobId, [trial('2', '0.5')])).toEqual([false]);
    expect(await store.trials.get('demo', jobId, '2')).toMatchObject({
      trialId: '2',
      hyperparameters: { learningRate: '0.1' },
      state: 'QUEUED',
      attempts: 0,
    });
    await expect(store.trials.create('demo', 'missing', [trial('1')])).rejects.toMatchObject({
      reason: 'JOB_NOT_FOUND',
    });
    await expect(store.trials.create('demo', jobId, [trial('0')])).rejects.toMatchObject({
      reason: 'INVALID_ARGUMENT',
      message: 'trialId "0" must be a positive decimal integer',
    });
  });

  it('claims a trial, counts attempts across worker deaths, and refuses finished ones', async () => {
    const jobId = await newJob('MAXIMIZE');
    await store.trials.create('demo', jobId, [trial('1')]);
    const { hyperparameters } = trial('1');
    // The claimer gets the trial's hyperparameters in the same step.
    expect(await startTrialAs(store, 'demo', jobId, '1', 'w1')).toMatchObject({
      ok: true,
      attempt: 1,
      previousState: 'QUEUED',
      hyperparameters,
    });
    const first = await store.trials.get('demo', jobId, '1');
    // w1 died; BullMQ redelivers the stalled trial to w2.
    expect(await startTrialAs(store, 'demo', jobId, '1', 'w2')).toMatchObject({
      ok: true,
      attempt: 2,
      previousState: 'RUNNING',
      hyperparameters,
    });
    const second = await store.trials.get('demo', jobId, '1');
    expect(second).toMatchObject({ state: 'RUNNING', workerId: 'w2', attempts: 2 });
    expect(second?.startTime).toBe(first?.startTime);
    await store.trials.recordResult('demo', jobId, '1', {
      state: 'FAILED',
      errorMessage: 'bad data',
    });
    expect(await startTrialAs(store, 'demo', jobId, '1', 'w3')).toEqual({
      ok: false,
      reason: 'TRIAL_FINISHED',
      state: 'FAILED',
    });
    await expect(startTrialAs(store, 'demo', jobId, '9', 'w3')).rejects.toMatchObject({
      reason: 'TRIAL_NOT_FOUND',
      message: `Trial 9 of job "projects/demo/jobs/${jobId}" not found`,
    });
  });

  it('refuses claims once the job is being cancelled', async () => {
    const jobId = await newJob('MAXIMIZE');
    await store.trials.create('demo', jobId, [trial('1')]);
    await store.jobs.transition('demo', jobId, { from: ['QUEUED'], to: 'CANCELLING' });
    expect(await startTrialAs(store, 'demo', jobId, '1', 'w1')).toEqual({
      ok: false,
      reason: 'JOB_NOT_LIVE',
      state: 'CANCELLING',
    });
    expect(await store.trials.cancelQueued('demo', jobId)).toEqual(['1']);
    expect(await store.trials.cancelQueued('demo', jobId)).toEqual([]);
    expect((await store.trials.get('demo', jobId, '1'))?.state).toBe('CANCELLED');
  });

  it('records a result exactly once, even when 20 workers race to record it', async () => {
    const jobId = await newJob('MAXIMIZE');
    await store.trials.create('demo', jobId, [trial('1')]);
    await startTrialAs(store, 'demo', jobId, '1', 'w1');
    const racers = Array.from({ length: 20 }, () =>
      createJobStore({ redis: t.connect(), prefix: t.prefix }),
    );
    const results = await Promise.all(
      racers.map((racer, i) =>
        racer.trials.recordResult('demo', jobId, '1', {
          state: 'SUCCEEDED',
          finalMetric: { trainingStep: 40, objectiveValue: i / 100 },
          modelDir: `gs://demo/jobs/${jobId}/1/model`,
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    const job = await store.jobs.get('demo', jobId);
    expect(job.trainingOutput).toMatchObject({
      completedTrialCount: '1',
      bestTrialId: '1',
      modelDir: `gs://demo/jobs/${jobId}/1/model`,
      trials: [
        {
          trialId: '1',
          state: 'SUCCEEDED',
          finalMetric: { trainingStep: '40', objectiveValue: winner / 100 },
          isTrialStoppedEarly: false,
        },
      ],
    });
  });

  it.each([
    ['MAXIMIZE', '2'],
    ['MINIMIZE', '3'],
  ] as const)('tracks the best trial by the goal (%s → trial %s)', async (goal, best) => {
    const jobId = await newJob(goal);
    const values: Record<string, number> = { '1': 0.5, '2': 0.9, '3': 0.1, '4': 0.7 };
    await store.trials.create(
      'demo',
      jobId,
      Object.keys(values).map((id) => trial(id)),
    );
    for (const [trialId, objectiveValue] of Object.entries(values)) {
      await startTrialAs(store, 'demo', jobId, trialId, 'w1');
      await store.trials.recordResult('demo', jobId, trialId, {
        state: trialId === '4' ? 'STOPPED' : 'SUCCEEDED',
        finalMetric: { trainingStep: 10, objectiveValue },
        modelDir: `gs://m/${trialId}`,
      });
    }
    const output = (await store.jobs.get('demo', jobId)).trainingOutput;
    expect(output).toMatchObject({
      completedTrialCount: '4',
      bestTrialId: best,
      modelDir: `gs://m/${best}`,
      hyperparameterMetricTag: 'val_accuracy',
    });
    expect(
      output?.trials?.map((item) => [item.trialId, item.state, item.isTrialStoppedEarly]),
    ).toEqual([
      ['1', 'SUCCEEDED', false],
      ['2', 'SUCCEEDED', false],
      ['3', 'SUCCEEDED', false],
      ['4', 'SUCCEEDED', true],
    ]);
    expect((await store.trials.get('demo', jobId, '4'))?.state).toBe('STOPPED');
  });

  it('gives a job without tuning its modelDir and builtInAlgorithmOutput, without trials or completedTrialCount', async () => {
    const jobId = await newJob();
    await store.trials.create('demo', jobId, [{ trialId: '1', hyperparameters: {} }]);
    await startTrialAs(store, 'demo', jobId, '1', 'w1');
    await store.trials.recordResult('demo', jobId, '1', {
      state: 'SUCCEEDED',
      modelDir: `gs://demo/jobs/${jobId}/model`,
    });
    const output = (await store.jobs.get('demo', jobId)).trainingOutput;
    expect(output).toEqual({
      consumedMLUnits: expect.any(Number) as number,
      isHyperparameterTuningJob: false,
      isBuiltInAlgorithmJob: true,
      builtInAlgorithmOutput: {
        framework: 'TENSORFLOW',
        runtimeVersion: '2.11',
        pythonVersion: '3.7',
        modelPath: `gs://demo/jobs/${jobId}/model`,
      },
      modelDir: `gs://demo/jobs/${jobId}/model`,
    });
    expect(output?.consumedMLUnits).toBeGreaterThanOrEqual(0);
  });

  it('keeps the objective series and summary of a running trial', async () => {
    const jobId = await newJob('MINIMIZE');
    await store.trials.create('demo', jobId, [trial('1')]);
    expect(await store.trials.reportProgress('demo', jobId, '1', { step: 1, value: 0.9 })).toBe(
      false,
    );
    await startTrialAs(store, 'demo', jobId, '1', 'w1');
    for (const [step, value] of [
      [1, 0.9],
      [2, 0.30000000000000004],
      [3, 0.6],
    ] as const) {
      expect(await store.trials.reportProgress('demo', jobId, '1', { step, value })).toBe(true);
    }
    expect(await store.trials.readSeries('demo', jobId, '1')).toEqual([
      { step: 1, value: 0.9 },
      { step: 2, value: 0.30000000000000004 },
      { step: 3, value: 0.6 },
    ]);
    const summary = (await store.trials.get('demo', jobId, '1'))?.intermediate;
    expect(summary).toMatchObject({
      count: 3,
      lastStep: 3,
      lastValue: 0.6,
      best: 0.30000000000000004,
    });
    expect(summary?.mean).toBeCloseTo(0.6, 12);
    await expect(
      store.trials.reportProgress('demo', jobId, '1', { step: 4, value: Number.NaN }),
    ).rejects.toMatchObject({
      reason: 'INVALID_ARGUMENT',
      message: 'value must be a finite number',
    });
  });

  it('lets one holder at a time take the job lock', async () => {
    const jobId = await newJob('MAXIMIZE');
    const lock = await store.jobs.acquireLock('demo', jobId, 10_000);
    expect(lock).toBeDefined();
    expect(await store.jobs.acquireLock('demo', jobId, 10_000)).toBeUndefined();
    if (lock === undefined) return;
    expect(await store.jobs.releaseLock(lock)).toBe(true);
    expect(await store.jobs.releaseLock(lock)).toBe(false);
    const short = await store.jobs.acquireLock('demo', jobId, 50);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const next = await store.jobs.acquireLock('demo', jobId, 10_000);
    expect(next).toBeDefined();
    // The expired holder cannot release the new holder's lock.
    if (short !== undefined) expect(await store.jobs.releaseLock(short)).toBe(false);
    expect(await t.redis.get(store.keys.job('demo', jobId).lock)).toBe(next?.token);
  });
});
