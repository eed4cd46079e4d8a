import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { errorOf, openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi();
});
afterAll(() => t.close());

const create = async (input: unknown) =>
  t.call('POST', '/v1/projects/demo/jobs', { token: t.tokens.editor, body: input });

/** A training job body as the Cloud ML reference writes one: no jobDir, pythonModule, versions. */
const referenceJob = (jobId: string, extra: Record<string, unknown> = {}) => ({
  jobId,
  trainingInput: {
    scaleTier: 'BASIC',
    packageUris: ['gs://demo/packages/trainer-0.1.tgz'],
    pythonModule: 'trainer.task',
    args: ['--epochs', '2'],
    region: 'us-central1',
    runtimeVersion: '2.11',
    pythonVersion: '3.7',
    ...extra,
  },
});

describe('POST /v1/projects/{p}/jobs with a Cloud ML training input', () => {
  it('takes the reference body unchanged, records it, and fills in the default jobDir', async () => {
    const response = await create(referenceJob('census_1'));
    expect(response.statusCode, response.body).toBe(200);
    const job = response.json() as Job;
    expect(job.trainingInput).toEqual({
      ...referenceJob('census_1').trainingInput,
      jobDir: 'gs://demo-stratus-staging/jobs/census_1',
    });
    expect(job.trainingOutput).toEqual({
      consumedMLUnits: 0,
      isHyperparameterTuningJob: false,
      isBuiltInAlgorithmJob: false,
    });
    expect((await t.queues.cpu.getJob('demo/census_1/1'))?.data.trialId).toBe('1');
    const buckets = await t.store.buckets.list('demo');
    expect(buckets.map((bucket) => bucket.name)).toContain('demo-stratus-staging');
  });

  it.each([
    ['STANDARD_1', {}, 'cpu'],
    ['PREMIUM_1', {}, 'cpu'],
    ['CUSTOM', { masterType: 'n1-highcpu-16' }, 'cpu'],
    ['CUSTOM', { masterType: 'complex_model_m_gpu' }, 'gpu'],
    [
      'CUSTOM',
      {
        masterType: 'n1-standard-8',
        masterConfig: { acceleratorConfig: { count: '2', type: 'NVIDIA_TESLA_V100' } },
      },
      'gpu',
    ],
  ] as const)('queues scaleTier %s %j on the %s queue', async (scaleTier, extra, queue) => {
    const jobId = `tier_${scaleTier.toLowerCase()}_${queue}_${Object.keys(extra).length}`;
    const response = await create(referenceJob(jobId, { scaleTier, ...extra }));
    expect(response.statusCode, response.body).toBe(200);
    expect((await t.queues[queue].getJob(`demo/${jobId}/1`))?.data.jobId).toBe(jobId);
    const other = queue === 'cpu' ? 'gpu' : 'cpu';
    expect(await t.queues[other].getJob(`demo/${jobId}/1`)).toBeUndefined();
  });

  it.each([
    [{ runtimeVersion: '1.15' }, 'trainingInput.runtimeVersion', 'use one of 2.1, 2.2, 2.3'],
    [{ scaleTier: 'BASIC_TPU' }, 'trainingInput.scaleTier', 'TPUs are not supported'],
    [{ workerCount: '2' }, 'trainingInput.workerCount', 'hyperparameters.maxParallelTrials'],
    [{ module: 'trainer.other' }, 'trainingInput.module', 'is an alias of pythonModule'],
    [
      { scaleTier: 'CUSTOM', masterConfig: { imageUri: 'gcr.io/demo/trainer' } },
      'trainingInput.masterConfig.imageUri',
      'custom containers are not supported',
    ],
  ])('is 400 for %j, naming %s', async (extra, field, text) => {
    const response = await create(referenceJob('refused_1', extra));
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.fields).toEqual([field]);
    expect(error.message).toContain(text);
    const missing = await t.call('GET', '/v1/projects/demo/jobs/refused_1', {
      token: t.tokens.viewer,
    });
    expect(missing.statusCode).toBe(404);
  });
});
