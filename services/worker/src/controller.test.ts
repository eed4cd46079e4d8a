import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HyperparameterSpec } from '@stratus/spec';
import { trialJobId } from '@stratus/store';
import { runControllerStep, type ControllerDeps } from '@stratus/lifecycle';
import { silentLogger } from '@stratus/spec';
import { startTrialAs } from '../../../tests/support/test-store.js';
import { reconcileJobs } from './reconcile.js';
import { irisInput, workerFixture, type WorkerFixture } from './worker.test-support.js';

let fixture: WorkerFixture;
let deps: ControllerDeps;

beforeAll(async () => {
  fixture = await workerFixture();
  deps = { store: fixture.store, queues: fixture.queues, lockWaitMs: 5_000 };
});
afterAll(async () => fixture?.close());

const tuning = (extra: Partial<HyperparameterSpec> = {}): HyperparameterSpec => ({
  goal: 'MAXIMIZE',
  hyperparameterMetricTag: 'val_accuracy',
  maxTrials: 5,
  maxParallelTrials: 2,
  maxFailedTrials: 2,
  params: [{ parameterName: 'learningRate', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1 }],
  ...extra,
});

const newTuningJob = async (jobId: string, extra?: Partial<HyperparameterSpec>) => {
  await fixture.store.jobs.create('demo', {
    jobId,
    trainingInput: { ...irisInput(jobId), hyperparameters: tuning(extra) },
  });
};

/** What a worker does with a trial: claim it and record a result. */
const finishTrial = async (
  jobId: string,
  trialId: string,
  state: 'SUCCEEDED' | 'FAILED',
  objectiveValue = 0.5,
) => {
  await startTrialAs(fixture.store, 'demo', jobId, trialId, 'w1');
  await fixture.store.trials.recordResult('demo', jobId, trialId, {
    state,
    ...(state === 'SUCCEEDED'
      ? {
          finalMetric: { trainingStep: 5, objectiveValue },
          modelDir: `gs://demo/jobs/${jobId}/${trialId}/model`,
        }
      : { errorMessage: `boom ${trialId}` }),
  });
};

const queued = async (jobId: string, trialId: string) =>
  (await fixture.queues.cpu.getJob(trialJobId('demo', jobId, trialId)))?.getState();

describe('controller step', () => {
  it("creates a tuning job's first batch once, however often it runs, even concurrently", async () => {
    await newTuningJob('batch_1');
    const steps = await Promise.all(
      [1, 2, 3].map(() => runControllerStep(deps, 'demo', 'batch_1')),
    );
    expect(steps.map((step) => step.action).sort()).toEqual(['enqueued', 'waiting', 'waiting']);
    const trials = await fixture.store.trials.list('demo', 'batch_1');
    expect(trials.map((t) => [t.trialId, t.state])).toEqual([
      ['1', 'QUEUED'],
      ['2', 'QUEUED'],
    ]);
    expect(await queued('batch_1', '1')).toBe('waiting');
    expect(await queued('batch_1', '2')).toBe('waiting');
  });

  it('keeps maxParallelTrials in flight and stops at maxTrials, then finishes with the best trial', async () => {
    await newTuningJob('flow_1', { maxTrials: 3 });
    await runControllerStep(deps, 'demo', 'flow_1');
    await finishTrial('flow_1', '1', 'SUCCEEDED', 0.7);
    expect(await runControllerStep(deps, 'demo', 'flow_1')).toEqual({
      action: 'enqueued',
      enqueued: ['3'],
    });
    await finishTrial('flow_1', '2', 'SUCCEEDED', 0.9);
    expect((await runControllerStep(deps, 'demo', 'flow_1')).action).toBe('waiting');
    await finishTrial('flow_1', '3', 'FAILED');
    expect((await runControllerStep(deps, 'demo', 'flow_1')).action).toBe('succeeded');
    const job = await fixture.store.jobs.get('demo', 'flow_1');
    expect(job.state).toBe('SUCCEEDED');
    expect(job.trainingOutput).toMatchObject({
      completedTrialCount: '2',
      bestTrialId: '2',
      modelDir: 'gs://demo/jobs/flow_1/2/model',
    });
    expect(job.trainingOutput?.trials?.map((t) => t.trialId)).toEqual(['2', '1', '3']);
    expect((await runControllerStep(deps, 'demo', 'flow_1')).action).toBe('none');
  });

  it('fails the job at maxFailedTrials, naming the failures, and cancels what is queued', async () => {
    await newTuningJob('fail_1');
    await runControllerStep(deps, 'demo', 'fail_1');
    await finishTrial('fail_1', '1', 'FAILED');
    await runControllerStep(deps, 'demo', 'fail_1');
    await finishTrial('fail_1', '2', 'FAILED');
    expect((await runControllerStep(deps, 'demo', 'fail_1')).action).toBe('failed');
    const job = await fixture.store.jobs.get('demo', 'fail_1');
    expect(job.state).toBe('FAILED');
    expect(job.errorMessage).toBe(
      '2 of 3 trials failed, reaching maxFailedTrials (2): trial 1: boom 1; trial 2: boom 2',
    );
    expect((await fixture.store.trials.get('demo', 'fail_1', '3'))?.state).toBe('CANCELLED');
    expect(await queued('fail_1', '3')).toBeUndefined();
  });

  it('settles a cancel: queued trials cancelled and dequeued, CANCELLED once none runs', async () => {
    await newTuningJob('cancel_1');
    await runControllerStep(deps, 'demo', 'cancel_1');
    // Starting trial 1 moved the job to PREPARING.
    await startTrialAs(fixture.store, 'demo', 'cancel_1', '1', 'w1');
    await fixture.store.jobs.transition('demo', 'cancel_1', {
      from: ['PREPARING'],
      to: 'CANCELLING',
    });
    expect((await runControllerStep(deps, 'demo', 'cancel_1')).action).toBe('cancelling');
    expect((await fixture.store.trials.get('demo', 'cancel_1', '2'))?.state).toBe('CANCELLED');
    expect(await queued('cancel_1', '2')).toBeUndefined();
    await fixture.store.trials.recordResult('demo', 'cancel_1', '1', { state: 'CANCELLED' });
    expect((await runControllerStep(deps, 'demo', 'cancel_1')).action).toBe('cancelled');
    expect((await fixture.store.jobs.get('demo', 'cancel_1')).state).toBe('CANCELLED');
  });

  it('answers busy without waiting when another step holds the lock', async () => {
    await newTuningJob('locked_1');
    const lock = await fixture.store.jobs.acquireLock('demo', 'locked_1', 10_000);
    expect(await runControllerStep(deps, 'demo', 'locked_1', { wait: false })).toEqual({
      action: 'busy',
      enqueued: [],
    });
    if (lock !== undefined) await fixture.store.jobs.releaseLock(lock);
  });
});

describe('reconcileJobs', () => {
  it('heals what crashes leave: an unqueued trial, a finished job left open, a lost trial', async () => {
    // 1. The trial exists but its BullMQ job was never added (crash between the two).
    await fixture.store.jobs.create('demo', {
      jobId: 'heal_1',
      trainingInput: irisInput('heal_1'),
    });
    await fixture.store.trials.create('demo', 'heal_1', [{ trialId: '1', hyperparameters: {} }]);
    // 2. The trial's result is in, but the worker died before the controller step.
    await fixture.store.jobs.create('demo', {
      jobId: 'heal_2',
      trainingInput: irisInput('heal_2'),
    });
    await fixture.store.trials.create('demo', 'heal_2', [{ trialId: '1', hyperparameters: {} }]);
    await fixture.store.jobs.transition('demo', 'heal_2', { from: ['QUEUED'], to: 'PREPARING' });
    await finishTrial('heal_2', '1', 'SUCCEEDED');
    // 3. RUNNING, but its BullMQ job failed for good (its workers kept dying).
    await fixture.store.jobs.create('demo', {
      jobId: 'heal_3',
      trainingInput: irisInput('heal_3'),
    });
    await fixture.store.trials.create('demo', 'heal_3', [{ trialId: '1', hyperparameters: {} }]);
    await startTrialAs(fixture.store, 'demo', 'heal_3', '1', 'w1');

    const report = await reconcileJobs({ ...deps, logger: silentLogger });
    expect(report.lostTrials).toBe(1);
    expect(await queued('heal_1', '1')).toBe('waiting');
    expect((await fixture.store.jobs.get('demo', 'heal_2')).state).toBe('SUCCEEDED');
    const lost = await fixture.store.jobs.get('demo', 'heal_3');
    expect(lost.state).toBe('FAILED');
    expect(lost.errorMessage).toBe('Trial 1 was lost with its worker: its queue entry is gone');
  });
});
