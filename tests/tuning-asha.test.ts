/**
 * ASHA early stopping end to end (issue 22): the API in this process, two
 * worker processes, real Redis, the local bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '@stratus/api';
import type { Job } from '@stratus/spec';
import type { JobStore } from '@stratus/store';
import { startCluster, type Cluster } from './support/cluster.js';
import { apiCall, irisTraining, waitForJob, type E2eEnv } from './support/stratus-e2e.js';

const jobs = '/v1/projects/default/jobs';
const EPOCHS = 6;

let cluster: Cluster;
let env: E2eEnv;
let api: ApiServer;
let store: JobStore;

beforeAll(async () => {
  cluster = await startCluster();
  ({ env, api, store } = cluster);
}, 180_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

describe('ASHA early stopping end to end', () => {
  it('stops trials outside the top 1/η at a rung with their step; the best trial ran to the end', async () => {
    const created = await apiCall<Job>(api.url, env.adminToken, 'POST', jobs, {
      jobId: 'iris_asha',
      trainingInput: {
        ...irisTraining('iris_asha', { epochs: EPOCHS, batchSize: 8 }),
        hyperparameters: {
          goal: 'MINIMIZE',
          hyperparameterMetricTag: 'val_loss',
          maxTrials: 6,
          maxParallelTrials: 2,
          algorithm: 'GRID_SEARCH',
          automatedStoppingConfig: {
            ashaStoppingConfig: { minSteps: 1, reductionFactor: 3, maxSteps: EPOCHS },
          },
          params: [
            {
              parameterName: 'learningRate',
              type: 'CATEGORICAL',
              // Half of them far too small to learn anything in 6 epochs.
              categoricalValues: ['0.05', '0.0000001', '0.03', '0.0000002', '0.02', '0.0000003'],
            },
          ],
        },
      },
    });
    expect(created.status).toBe(200);
    const job = await waitForJob(
      api.url,
      env.adminToken,
      'iris_asha',
      ['SUCCEEDED', 'FAILED'],
      200_000,
    );
    expect(job.errorMessage).toBeUndefined();
    expect(job.state).toBe('SUCCEEDED');
    const trials = job.trainingOutput?.trials ?? [];
    expect(trials).toHaveLength(6);
    const stopped = trials.filter((trial) => trial.isTrialStoppedEarly === true);
    // Trials 4 and 6 (tiny rates) reach rung 1 after three or more others: only the best 1 of ≥ 3 goes on.
    expect(stopped.length).toBeGreaterThanOrEqual(2);
    for (const trial of stopped) {
      const step = Number(trial.finalMetric?.trainingStep);
      expect(step).toBeGreaterThanOrEqual(1);
      expect(step).toBeLessThan(EPOCHS);
      const stored = await store.trials.get('default', 'iris_asha', trial.trialId ?? '');
      expect(stored?.state).toBe('STOPPED');
    }
    const best = trials.find((trial) => trial.trialId === job.trainingOutput?.bestTrialId);
    expect(best?.isTrialStoppedEarly).toBe(false);
    expect(best?.finalMetric?.trainingStep).toBe(String(EPOCHS));
    expect(['0.05', '0.03', '0.02']).toContain(best?.hyperparameters?.learningRate);
  }, 240_000);

  it('refuses an ill-formed ashaStoppingConfig with a 400 naming the field', async () => {
    const refused = await apiCall<{ error: { message: string } }>(
      api.url,
      env.adminToken,
      'POST',
      jobs,
      {
        jobId: 'iris_asha_bad',
        trainingInput: {
          ...irisTraining('iris_asha_bad'),
          hyperparameters: {
            maxTrials: 2,
            automatedStoppingConfig: { ashaStoppingConfig: { reductionFactor: 1 } },
            params: [
              { parameterName: 'learningRate', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1 },
            ],
          },
        },
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(
      'trainingInput.hyperparameters.automatedStoppingConfig.ashaStoppingConfig.reductionFactor: must be at least 2 (got 1)',
    );
  });
});
