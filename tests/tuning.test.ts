/**
 * Hyperparameter tuning end to end (issue 5): the API in this process, two
 * worker processes, real Redis, the local bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiServer } from '@stratus/api';
import type { HyperparameterSpec, Job } from '@stratus/spec';
import type { JobStore } from '@stratus/store';
import { startCluster, type Cluster } from './support/cluster.js';
import { apiCall, irisTraining, waitForJob, type E2eEnv } from './support/stratus-e2e.js';
import { mostTrialsAtOnce } from './support/trial-overlap.js';

const jobs = '/v1/projects/default/jobs';

let cluster: Cluster;
let env: E2eEnv;
let api: ApiServer;
let store: JobStore;

const tuning = (overrides: Partial<HyperparameterSpec>): HyperparameterSpec => ({
  goal: 'MAXIMIZE',
  hyperparameterMetricTag: 'val_accuracy',
  maxTrials: 8,
  maxParallelTrials: 2,
  params: [
    {
      parameterName: 'learningRate',
      type: 'DOUBLE',
      minValue: 0.000001,
      maxValue: 0.1,
      scaleType: 'UNIT_LOG_SCALE',
    },
    {
      parameterName: 'hiddenUnits',
      type: 'CATEGORICAL',
      categoricalValues: ['16', '32,16', '64,32'],
    },
  ],
  ...overrides,
});

beforeAll(async () => {
  cluster = await startCluster();
  ({ env, api, store } = cluster);
}, 180_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

describe('hyperparameter tuning end to end', () => {
  it('runs 8 Iris trials two at a time on two workers, stops bad ones early, ends with the best model', async () => {
    const created = await apiCall<Job>(api.url, env.adminToken, 'POST', jobs, {
      jobId: 'iris_hp8',
      trainingInput: {
        ...irisTraining('iris_hp8', { epochs: 12, batchSize: 8 }),
        hyperparameters: tuning({ enableTrialEarlyStopping: true }),
      },
    });
    expect(created.status).toBe(200);
    const job = await waitForJob(
      api.url,
      env.adminToken,
      'iris_hp8',
      ['SUCCEEDED', 'FAILED'],
      200_000,
    );
    expect(job.state).toBe('SUCCEEDED');
    // From the recorded spans: never more than maxParallelTrials at once, and both slots used.
    expect(mostTrialsAtOnce(await store.trials.list('default', 'iris_hp8'))).toBe(2);
    const trials = job.trainingOutput?.trials ?? [];
    expect(trials.map((trial) => trial.trialId).sort((a, b) => Number(a) - Number(b))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
    ]);
    expect(job.trainingOutput?.completedTrialCount).toBe('8');
    for (const trial of trials) {
      expect(['16', '32,16', '64,32']).toContain(trial.hyperparameters?.hiddenUnits);
      const lr = Number(trial.hyperparameters?.learningRate);
      expect(lr).toBeGreaterThanOrEqual(0.000001);
      expect(lr).toBeLessThanOrEqual(0.1);
    }
    const stopped = trials.filter((trial) => trial.isTrialStoppedEarly === true);
    expect(stopped.length).toBeGreaterThanOrEqual(1);
    const best = trials[0];
    expect(job.trainingOutput?.bestTrialId).toBe(best?.trialId);
    expect(job.trainingOutput?.modelDir).toBe(`gs://demo/jobs/iris_hp8/${best?.trialId}/model`);
    expect(await env.storage.exists(`${job.trainingOutput?.modelDir}/model.json`)).toBe(true);
    const ranOn = new Set((await store.trials.list('default', 'iris_hp8')).map((t) => t.workerId));
    expect(ranOn.size).toBe(2);
  }, 240_000);

  it('still records exactly maxTrials trials when a worker is killed mid-study', async () => {
    await apiCall(api.url, env.adminToken, 'POST', jobs, {
      jobId: 'iris_hp_kill',
      trainingInput: {
        ...irisTraining('iris_hp_kill', { epochs: 10, batchSize: 4 }),
        hyperparameters: tuning({ maxTrials: 6 }),
      },
    });
    // Kill a worker once the study is under way (two trials recorded), then start a new one.
    for (;;) {
      const done = (await store.trials.list('default', 'iris_hp_kill')).filter(
        (trial) => trial.state === 'SUCCEEDED',
      );
      if (done.length >= 2) break;
      await sleep(100);
    }
    const running = (await store.trials.list('default', 'iris_hp_kill')).find(
      (trial) => trial.state === 'RUNNING',
    );
    const victim =
      cluster.workers.find((w) => w.workerId === running?.workerId) ?? cluster.workers[0];
    victim?.child.kill('SIGKILL');
    await victim?.exited;
    await cluster.spawnWorker();

    const job = await waitForJob(
      api.url,
      env.adminToken,
      'iris_hp_kill',
      ['SUCCEEDED', 'FAILED'],
      180_000,
    );
    expect(job.state).toBe('SUCCEEDED');
    expect(job.trainingOutput?.completedTrialCount).toBe('6');
    const stored = await store.trials.list('default', 'iris_hp_kill');
    expect(stored).toHaveLength(6);
    expect(stored.every((trial) => trial.state === 'SUCCEEDED')).toBe(true);
  }, 300_000);
});
