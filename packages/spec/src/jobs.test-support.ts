/** Valid job create requests and helpers used across the spec tests. */
import { expect } from 'vitest';
import { designExampleJob as exampleJob } from './examples.js';
import { validateJobInput } from './validate-job.js';

/** docs/api.md's example job, input fields only. */
export const designExampleJob = exampleJob();

/** docs/api.md's example job as the API returns it (output fields included). */
export const designExampleJobOutput = {
  ...designExampleJob,
  state: 'QUEUED',
  createTime: '...',
  startTime: '...',
  endTime: '...',
  errorMessage: '',
  trainingOutput: {
    isHyperparameterTuningJob: true,
    hyperparameterMetricTag: 'val_accuracy',
    completedTrialCount: '12',
    trials: [
      {
        trialId: '1',
        hyperparameters: { learningRate: '0.0123' },
        state: 'SUCCEEDED',
        finalMetric: { trainingStep: '40', objectiveValue: 0.967 },
        isTrialStoppedEarly: false,
        startTime: '...',
        endTime: '...',
      },
    ],
    bestTrialId: '7',
    modelDir: 'gs://demo/jobs/iris_dnn_1/7/model',
  },
};

/** A tuned custom-package job on a GPU. */
export const customPackageJob = {
  jobId: 'custom_mnist',
  trainingInput: {
    scaleTier: 'CUSTOM',
    masterConfig: { acceleratorConfig: { count: 1, type: 'NVIDIA_TESLA_T4' } },
    jobDir: 'gs://demo/jobs/custom_mnist/',
    packageUris: ['gs://demo/packages/trainer-1.0.0.tgz'],
    module: 'dist/task.js',
    args: ['--data', 'gs://demo/data/mnist'],
    scheduling: { maxRunningTime: '3600s' },
    hyperparameters: {
      goal: 'MINIMIZE',
      hyperparameterMetricTag: 'loss',
      maxTrials: 4,
      algorithm: 'GRID_SEARCH',
      params: [
        { parameterName: 'units', type: 'INTEGER', minValue: 8, maxValue: 64 },
        { parameterName: 'rate', type: 'DISCRETE', discreteValues: [0.001, 0.01, 0.1] },
        { parameterName: 'act', type: 'CATEGORICAL', categoricalValues: ['relu', 'tanh'] },
      ],
    },
  },
};

/** A single-trial built-in regression job with defaults only. */
export const plainJob = {
  jobId: 'housing',
  trainingInput: {
    jobDir: 'gs://demo/jobs/housing',
    builtinAlgorithm: {
      name: 'linear_regressor',
      trainingData: 'gs://demo/data/housing.jsonl',
      labelColumn: 'price',
    },
  },
};

/** A deep copy of `base` changed by `edit` (which may mutate freely). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary JSON paths
export const edited = <T>(base: T, edit: (copy: any) => void): unknown => {
  const copy = structuredClone(base);
  edit(copy);
  return copy;
};

/** A built-in image job on a GPU. */
export const imageJob = {
  jobId: 'digits',
  trainingInput: {
    scaleTier: 'BASIC_GPU',
    jobDir: 'gs://demo/jobs/digits',
    builtinAlgorithm: { name: 'image_classifier', trainingData: 'gs://demo/images/', channels: 1 },
  },
};

/** [case, job, [field, description fragment][]]: the violations must be exactly these. */
export type InvalidCase = [string, unknown, [string, string][]];

/** Assert `validateJobInput(job)` reports exactly these fields, in order, with these fragments. */
export const expectViolations = (job: unknown, expected: [string, string][]): void => {
  const violations = validateJobInput(job);
  expect(violations.map((v) => v.field)).toEqual(expected.map(([field]) => field));
  violations.forEach((v, i) => expect(v.description).toContain(expected[i]?.[1]));
};
