import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobInput } from '@stratus/spec';
import { errorOf, irisJob, openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi({ env: { STRATUS_MAX_QUEUED_JOBS_PER_PROJECT: '3' } });
});
afterAll(() => t.close());

const submit = (input: JobInput, token = t.tokens.editor, project = 'demo') =>
  t.call('POST', `/v1/projects/${project}/jobs`, { token, body: input });

/** The Iris tuning job with `maxTrials` and `maxParallelTrials` replaced. */
const tuningJob = (
  jobId: string,
  maxTrials: number,
  maxParallelTrials: number,
  bucket = 'demo',
): JobInput => {
  const input = irisJob(jobId, { tuning: true, bucket });
  const spec = input.trainingInput.hyperparameters;
  if (spec === undefined) throw new Error('irisJob lost its hyperparameters');
  return {
    ...input,
    trainingInput: {
      ...input.trainingInput,
      hyperparameters: { ...spec, maxTrials, maxParallelTrials },
    },
  };
};

const waitingTrials = async (jobId: string): Promise<number> =>
  (await t.queues.cpu.getJobs(['waiting', 'prioritized', 'delayed'])).filter(
    (bull) => bull.data.jobId === jobId,
  ).length;

describe('job caps (STRATUS_MAX_TRIALS, STRATUS_MAX_PARALLEL_TRIALS)', () => {
  it('refuses maxTrials: 1e9 with a 400 naming the cap, storing and enqueuing nothing', async () => {
    const response = await submit(tuningJob('huge_trials', 1e9, 3));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({
      reason: 'INVALID_HYPERPARAMETER_SPEC',
      message:
        'Invalid hyperparameter spec: trainingInput.hyperparameters.maxTrials: 1000000000 exceeds the limit of 1000 (STRATUS_MAX_TRIALS)',
      fields: ['trainingInput.hyperparameters.maxTrials'],
    });
    expect(
      (await t.call('GET', '/v1/projects/demo/jobs/huge_trials', { token: t.tokens.editor }))
        .statusCode,
    ).toBe(404);
    expect(await waitingTrials('huge_trials')).toBe(0);
  });

  it('refuses maxParallelTrials above its cap with a 400 naming the cap', async () => {
    const response = await submit(tuningJob('wide_trials', 1000, 65));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({
      reason: 'INVALID_HYPERPARAMETER_SPEC',
      message:
        'Invalid hyperparameter spec: trainingInput.hyperparameters.maxParallelTrials: 65 exceeds the limit of 64 (STRATUS_MAX_PARALLEL_TRIALS)',
      fields: ['trainingInput.hyperparameters.maxParallelTrials'],
    });
    expect(await waitingTrials('wide_trials')).toBe(0);
  });

  it("refuses the issue's maxTrials: 1e9, maxParallelTrials: 20000 job without creating a trial", async () => {
    const response = await submit(tuningJob('flood', 1e9, 20_000));
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({
      reason: 'INVALID_HYPERPARAMETER_SPEC',
      message:
        'Invalid hyperparameter spec: trainingInput.hyperparameters.maxTrials: 1000000000 exceeds the limit of 1000 (STRATUS_MAX_TRIALS) (and 1 more)',
      fields: [
        'trainingInput.hyperparameters.maxTrials',
        'trainingInput.hyperparameters.maxParallelTrials',
      ],
    });
    expect(await t.store.trials.list('demo', 'flood').catch(() => [])).toEqual([]);
    expect(await waitingTrials('flood')).toBe(0);
  });

  it('accepts a job at the caps', async () => {
    const response = await submit(
      tuningJob('at_caps', 1000, 64, 'other-data'),
      t.tokens.otherEditor,
      'other',
    );
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as Job).trainingOutput?.trials).toHaveLength(64);
  });
});

describe('live jobs per project (STRATUS_MAX_QUEUED_JOBS_PER_PROJECT=3)', () => {
  const quotaMessage =
    'Quota exceeded: project demo has 3 live jobs (queued, preparing, running or cancelling), the limit of 3 (STRATUS_MAX_QUEUED_JOBS_PER_PROJECT); submit again when one ends';

  it('answers 429 beyond the quota, stores nothing, and accepts again once a job is cancelled', async () => {
    for (const id of ['q1', 'q2', 'q3']) {
      const accepted = await submit(irisJob(id));
      expect(accepted.statusCode, accepted.body).toBe(200);
    }
    const refused = await submit(irisJob('q4'));
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused)).toMatchObject({ reason: 'QUOTA_EXCEEDED', message: quotaMessage });
    expect(refused.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED' } });
    expect(
      (await t.call('GET', '/v1/projects/demo/jobs/q4', { token: t.tokens.editor })).statusCode,
    ).toBe(404);
    expect(await waitingTrials('q4')).toBe(0);

    // Another project's quota is its own.
    const other = await submit(
      irisJob('o1', { bucket: 'other-data' }),
      t.tokens.otherEditor,
      'other',
    );
    expect(other.statusCode, other.body).toBe(200);

    const cancelled = await t.call('POST', '/v1/projects/demo/jobs/q1:cancel', {
      token: t.tokens.editor,
      body: {},
    });
    expect((cancelled.json() as Job).state).toBe('CANCELLED');
    const again = await submit(irisJob('q4'));
    expect(again.statusCode, again.body).toBe(200);
    expect(errorOf(await submit(irisJob('q5')))).toMatchObject({
      reason: 'QUOTA_EXCEEDED',
      message: quotaMessage,
    });
  });

  it('lets exactly the quota through when submits race', async () => {
    const project = 'other';
    const live = (await t.store.jobs.list(project, { pageSize: 100 })).jobs.filter(
      (job) => !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.state),
    ).length;
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        submit(irisJob(`race${i}`, { bucket: 'other-data' }), t.tokens.otherEditor, project),
      ),
    );
    const codes = responses.map((response) => response.statusCode).sort();
    expect(codes.filter((code) => code === 200)).toHaveLength(3 - live);
    expect(codes.filter((code) => code === 429)).toHaveLength(8 - (3 - live));
  });
});
