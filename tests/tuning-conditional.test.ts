/**
 * Conditional hyperparameters end to end (issue 22): a grid over a tree
 * (`optimizer` adam → `dropout`, sgd → `learningRate`) through the API and
 * two workers; every trial records exactly its active parameters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '@stratus/api';
import type { Job } from '@stratus/spec';
import { startCluster, type Cluster } from './support/cluster.js';
import { apiCall, irisTraining, waitForJob, type E2eEnv } from './support/stratus-e2e.js';

const jobs = '/v1/projects/default/jobs';

let cluster: Cluster;
let env: E2eEnv;
let api: ApiServer;

beforeAll(async () => {
  cluster = await startCluster();
  ({ env, api } = cluster);
}, 180_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

describe('conditional hyperparameters end to end', () => {
  it('tunes the reachable grid of a parameter tree and records only active values', async () => {
    const created = await apiCall<Job>(api.url, env.adminToken, 'POST', jobs, {
      jobId: 'iris_conditional',
      trainingInput: {
        ...irisTraining('iris_conditional', { epochs: 3 }),
        hyperparameters: {
          goal: 'MAXIMIZE',
          hyperparameterMetricTag: 'val_accuracy',
          algorithm: 'GRID_SEARCH',
          maxTrials: 4,
          maxParallelTrials: 2,
          params: [
            {
              parameterName: 'optimizer',
              type: 'CATEGORICAL',
              categoricalValues: ['adam', 'sgd'],
              conditionalParameterSpecs: [
                {
                  parentCategoricalValues: { values: ['adam'] },
                  parameterSpec: {
                    parameterName: 'dropout',
                    type: 'DISCRETE',
                    discreteValues: [0, 0.3],
                  },
                },
                {
                  parentCategoricalValues: { values: ['sgd'] },
                  parameterSpec: {
                    parameterName: 'learningRate',
                    type: 'DISCRETE',
                    discreteValues: [0.05, 0.2],
                  },
                },
              ],
            },
          ],
        },
      },
    });
    expect(created.status).toBe(200);
    const job = await waitForJob(
      api.url,
      env.adminToken,
      'iris_conditional',
      ['SUCCEEDED', 'FAILED'],
      200_000,
    );
    expect(job.state).toBe('SUCCEEDED');
    const recorded = (job.trainingOutput?.trials ?? [])
      .map((trial) => JSON.stringify(Object.entries(trial.hyperparameters ?? {}).sort()))
      .sort();
    expect(recorded).toEqual(
      [
        { optimizer: 'adam', dropout: '0' },
        { optimizer: 'adam', dropout: '0.3' },
        { optimizer: 'sgd', learningRate: '0.05' },
        { optimizer: 'sgd', learningRate: '0.2' },
      ]
        .map((values) => JSON.stringify(Object.entries(values).sort()))
        .sort(),
    );
  }, 240_000);

  it('rejects a branch its parent can never take with a 400 naming the field', async () => {
    const response = await apiCall<{ error: { message: string } }>(
      api.url,
      env.adminToken,
      'POST',
      jobs,
      {
        jobId: 'iris_conditional_bad',
        trainingInput: {
          ...irisTraining('iris_conditional_bad'),
          hyperparameters: {
            goal: 'MAXIMIZE',
            maxTrials: 2,
            params: [
              {
                parameterName: 'optimizer',
                type: 'CATEGORICAL',
                categoricalValues: ['adam', 'sgd'],
                conditionalParameterSpecs: [
                  {
                    parentCategoricalValues: { values: ['rmsprop'] },
                    parameterSpec: {
                      parameterName: 'dropout',
                      type: 'DISCRETE',
                      discreteValues: [0, 0.3],
                    },
                  },
                ],
              },
            ],
          },
        },
      },
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain(
      'trainingInput.hyperparameters.params[0].conditionalParameterSpecs[0].parentCategoricalValues.values[0]',
    );
  });
});
