import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobInput, TrainingJobInput } from '@stratus/spec';
import { errorOf, irisJob, openTestApi, type TestApi } from '../api.test-support.js';
import { TRIAL_JOB_OPTIONS } from '@stratus/store';
import { planInitialTrials } from '@stratus/lifecycle';
import { startTrialAs } from '../../../../tests/support/test-store.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi();
});
afterAll(() => t.close());

const create = async (input: unknown, project = 'demo') =>
  t.call('POST', `/v1/projects/${project}/jobs`, { token: t.tokens.editor, body: input });

const createOk = async (input: JobInput): Promise<Job> => {
  const response = await create(input);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Job;
};

const bullJob = async (kind: 'cpu' | 'gpu', id: string) => t.queues[kind].getJob(id);

describe('POST /v1/projects/{p}/jobs', () => {
  it('records the job QUEUED and enqueues trial 1 on the CPU queue', async () => {
    const job = await createOk(irisJob('iris_plain', { labels: { team: 'ml' } }));
    expect(job).toMatchObject({
      jobId: 'iris_plain',
      labels: { team: 'ml' },
      state: 'QUEUED',
      trainingOutput: {
        consumedMLUnits: 0,
        isHyperparameterTuningJob: false,
        isBuiltInAlgorithmJob: true,
      },
    });
    // A plausible recent timestamp, not a speed assertion.
    expect(Date.parse(job.createTime)).toBeGreaterThan(Date.now() - 60_000);
    const trials = await t.store.trials.list('demo', 'iris_plain');
    expect(trials.map((trial) => [trial.trialId, trial.state, trial.hyperparameters])).toEqual([
      ['1', 'QUEUED', {}],
    ]);
    const queued = await bullJob('cpu', 'demo/iris_plain/1');
    expect(queued?.name).toBe('trial');
    expect(queued?.data).toEqual({ project: 'demo', jobId: 'iris_plain', trialId: '1' });
    expect(queued?.opts).toMatchObject({
      attempts: 3,
      backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: TRIAL_JOB_OPTIONS.removeOnComplete,
      removeOnFail: TRIAL_JOB_OPTIONS.removeOnFail,
    });
    expect(await bullJob('gpu', 'demo/iris_plain/1')).toBeUndefined();
  });

  it('routes GPU jobs (BASIC_GPU) to the GPU queue', async () => {
    await createOk(irisJob('iris_gpu', { gpu: true }));
    expect((await bullJob('gpu', 'demo/iris_gpu/1'))?.data.trialId).toBe('1');
    expect(await bullJob('cpu', 'demo/iris_gpu/1')).toBeUndefined();
  });

  it('starts a tuning job with maxParallelTrials trials proposed by the tuner', async () => {
    const input = irisJob('iris_tune', { tuning: true });
    const plan = await planInitialTrials(t.store, 'demo', input);
    const job = await createOk(input);
    expect(job.trainingOutput?.isHyperparameterTuningJob).toBe(true);
    expect(job.trainingOutput?.hyperparameterMetricTag).toBe('val_accuracy');
    expect(job.trainingOutput?.trials?.map((trial) => trial.trialId)).toEqual(['1', '2', '3']);
    const trials = await t.store.trials.list('demo', 'iris_tune');
    // Seeded by the job name: the same proposals as planned before it existed.
    expect(trials.map((trial) => trial.hyperparameters)).toEqual(plan.trials);
    for (const { hyperparameters } of trials) {
      const rate = Number(hyperparameters.learningRate);
      expect(rate).toBeGreaterThanOrEqual(0.0001);
      expect(rate).toBeLessThanOrEqual(0.1);
      expect(['16', '32,16', '64,32']).toContain(hyperparameters.hiddenUnits);
    }
    const waiting = await t.queues.cpu.getJobs(['waiting']);
    expect(
      waiting
        .filter((bull) => bull.data.jobId === 'iris_tune')
        .map((bull) => bull.id)
        .sort(),
    ).toEqual(['demo/iris_tune/1', 'demo/iris_tune/2', 'demo/iris_tune/3']);
  });

  it('caps the first batch at maxTrials and resumes a previous tuning job', async () => {
    const input = irisJob('iris_small', { tuning: true });
    const spec = input.trainingInput.hyperparameters;
    if (spec === undefined) throw new Error('tuning spec expected');
    const small: TrainingJobInput = {
      ...input,
      trainingInput: {
        ...input.trainingInput,
        hyperparameters: { ...spec, maxTrials: 2, maxParallelTrials: 2, maxFailedTrials: 1 },
      },
    };
    expect((await t.store.trials.list('demo', (await createOk(small)).jobId)).length).toBe(2);
    const resumed: JobInput = {
      ...small,
      jobId: 'iris_resumed',
      trainingInput: {
        ...small.trainingInput,
        hyperparameters: { ...spec, resumePreviousJobId: 'iris_small' },
      },
    };
    expect((await createOk(resumed)).trainingOutput?.trials).toHaveLength(3);
  });

  it('refuses to resume a job that does not exist, and stores nothing', async () => {
    const input = irisJob('iris_orphan', { tuning: true });
    const spec = input.trainingInput.hyperparameters;
    if (spec === undefined) throw new Error('tuning spec expected');
    const response = await create({
      ...input,
      trainingInput: {
        ...input.trainingInput,
        hyperparameters: { ...spec, resumePreviousJobId: 'nothing_here' },
      },
    });
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.reason).toBe('INVALID_HYPERPARAMETER_SPEC');
    expect(error.fields).toEqual(['trainingInput.hyperparameters.resumePreviousJobId']);
    expect(error.message).toContain('job "nothing_here" does not exist in project demo');
    expect(
      (await t.call('GET', '/v1/projects/demo/jobs/iris_orphan', { token: t.tokens.viewer }))
        .statusCode,
    ).toBe(404);
  });

  it('is 409 when the id is taken, leaving the first job alone', async () => {
    await createOk(irisJob('iris_twice'));
    const response = await create(irisJob('iris_twice', { gpu: true }));
    expect(response.statusCode).toBe(409);
    expect(errorOf(response)).toMatchObject({
      reason: 'JOB_ALREADY_EXISTS',
      message: 'Job "projects/demo/jobs/iris_twice" already exists',
    });
    expect(await bullJob('gpu', 'demo/iris_twice/1')).toBeUndefined();
  });

  it.each([
    [
      'a missing required field',
      (job: JobInput) => ({ ...job, jobId: undefined }),
      'INVALID_JOB_SPEC',
      'jobId',
      'is required',
    ],
    [
      'a malformed id',
      (job: JobInput) => ({ ...job, jobId: '9lives' }),
      'INVALID_JOB_SPEC',
      'jobId',
      'must start with a letter',
    ],
    [
      'an unknown field',
      (job: JobInput) => ({ ...job, bogus: 1 }),
      'INVALID_JOB_SPEC',
      'bogus',
      'unknown field "bogus"',
    ],
    [
      'an unknown nested field',
      (job: JobInput) => ({ ...job, trainingInput: { ...job.trainingInput, gpus: 2 } }),
      'INVALID_JOB_SPEC',
      'trainingInput.gpus',
      'unknown field "gpus"',
    ],
    [
      'an output-only field',
      (job: JobInput) => ({ ...job, state: 'SUCCEEDED' }),
      'INVALID_JOB_SPEC',
      'state',
      'is output only and cannot be set',
    ],
    [
      'a bad gs:// URI',
      (job: JobInput) => ({
        ...job,
        trainingInput: { ...job.trainingInput, jobDir: 'file:///tmp/x' },
      }),
      'INVALID_JOB_SPEC',
      'trainingInput.jobDir',
      'gs://',
    ],
    [
      'min ≥ max in a hyperparameter range',
      (job: JobInput) => {
        const tuning = irisJob(job.jobId, { tuning: true }).trainingInput;
        const spec = tuning.hyperparameters;
        if (spec === undefined) throw new Error('tuning spec expected');
        return {
          ...job,
          trainingInput: {
            ...tuning,
            hyperparameters: {
              ...spec,
              params: [
                { parameterName: 'learningRate', type: 'DOUBLE', minValue: 0.5, maxValue: 0.1 },
              ],
            },
          },
        };
      },
      'INVALID_HYPERPARAMETER_SPEC',
      'trainingInput.hyperparameters.params[0].minValue',
      'must be less than maxValue',
    ],
  ])(
    'is 400 naming the field for %s, and stores nothing',
    async (_name, mutate, reason, field, text) => {
      const response = await create(mutate(irisJob('iris_bad')));
      expect(response.statusCode).toBe(400);
      const error = errorOf(response);
      expect(error.reason).toBe(reason);
      expect(error.fields).toContain(field);
      const violation = error.body.details
        .flatMap((d) => d.fieldViolations ?? [])
        .find((v) => v.field === field);
      expect(violation?.description).toContain(text);
      expect(error.message).toContain(field);
      expect(await t.store.jobs.find('demo', 'iris_bad')).toBeUndefined();
    },
  );

  it('is 400 INVALID_JSON for malformed JSON, saying where', async () => {
    const response = await t.call('POST', '/v1/projects/demo/jobs', {
      token: t.tokens.editor,
      body: '{"jobId": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.reason).toBe('INVALID_JSON');
    expect(error.message).toMatch(/^Request body is not valid JSON: .*JSON/);
  });

  it('refuses prototype-pollution keys as INVALID_JSON', async () => {
    const response = await t.call('POST', '/v1/projects/demo/jobs', {
      token: t.tokens.editor,
      body: '{"jobId": "x", "__proto__": {"admin": true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response).reason).toBe('INVALID_JSON');
  });

  it('is 400 for an empty body', async () => {
    const response = await t.call('POST', '/v1/projects/demo/jobs', {
      token: t.tokens.editor,
      body: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({
      reason: 'INVALID_JOB_SPEC',
      message: 'Invalid job: body: must be an object (got null)',
    });
  });

  it('is 413 beyond 1.5 MB and 415 for anything but JSON', async () => {
    const big = { ...irisJob('iris_big'), labels: { pad: 'x'.repeat(1_600_000) } };
    const tooLarge = await create(big);
    expect(tooLarge.statusCode).toBe(413);
    expect(errorOf(tooLarge)).toMatchObject({
      reason: 'PAYLOAD_TOO_LARGE',
      message: 'Request body exceeds 1572864 bytes',
    });
    const text = await t.call('POST', '/v1/projects/demo/jobs', {
      token: t.tokens.editor,
      body: 'jobId=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(text.statusCode).toBe(415);
    expect(errorOf(text)).toMatchObject({
      reason: 'UNSUPPORTED_MEDIA_TYPE',
      message:
        'Content-Type "application/x-www-form-urlencoded" is not supported; send application/json',
    });
  });
});

describe('GET /v1/projects/{p}/jobs', () => {
  const ids = ['page_1', 'page_2', 'page_3', 'page_4', 'page_5'];
  const project = 'paging';
  let token: string;
  beforeAll(async () => {
    token = (await t.store.tokens.create({ project, role: 'editor' })).token;
    for (const [i, jobId] of ids.entries()) {
      const response = await t.call('POST', `/v1/projects/${project}/jobs`, {
        token,
        body: irisJob(jobId, {
          labels: { team: i % 2 === 0 ? 'even' : 'odd' },
          bucket: 'paging-data',
        }),
      });
      expect(response.statusCode).toBe(200);
    }
  });

  const list = async (query: string) =>
    t.call('GET', `/v1/projects/${project}/jobs${query}`, { token });

  it('pages newest first with nextPageToken', async () => {
    const seen: string[][] = [];
    let query = '?pageSize=2';
    for (;;) {
      const response = await list(query);
      expect(response.statusCode).toBe(200);
      const page = response.json() as { jobs: Job[]; nextPageToken?: string };
      seen.push(page.jobs.map((job) => job.jobId));
      if (page.nextPageToken === undefined) break;
      query = `?pageSize=2&pageToken=${encodeURIComponent(page.nextPageToken)}`;
    }
    expect(seen).toEqual([['page_5', 'page_4'], ['page_3', 'page_2'], ['page_1']]);
  });

  it('filters by label and state', async () => {
    const byLabel = (await list(`?filter=${encodeURIComponent('labels.team=even')}`)).json() as {
      jobs: Job[];
    };
    expect(byLabel.jobs.map((job) => job.jobId)).toEqual(['page_5', 'page_3', 'page_1']);
    const cancelled = await t.call('POST', `/v1/projects/${project}/jobs/page_3:cancel`, { token });
    expect(cancelled.statusCode).toBe(200);
    const both = (
      await list(`?filter=${encodeURIComponent('state=CANCELLED AND labels.team=even')}`)
    ).json() as { jobs: Job[] };
    expect(both.jobs.map((job) => [job.jobId, job.state])).toEqual([['page_3', 'CANCELLED']]);
    const queued = (await list('?filter=state%3DQUEUED')).json() as { jobs: Job[] };
    expect(queued.jobs.map((job) => job.jobId)).toEqual(['page_5', 'page_4', 'page_2', 'page_1']);
  });

  it.each([
    ['?filter=owner%3Dme', 'filter', 'unknown field "owner" at position 1; filterable fields'],
    ['?filter=state%3DDONE', 'filter', 'state "DONE" at position 7 is not one of QUEUED'],
    ['?filter=state%3D(', 'filter', 'expected a value after "=" at position 6, found "("'],
    ['?pageSize=101', 'pageSize', 'must be ≤ 100 (got 101)'],
    ['?pageSize=ten', 'pageSize', 'must be an integer (got "ten")'],
    ['?pageToken=bm9wZQ', 'pageToken', 'is malformed'],
    ['?sort=createTime', 'sort', 'unknown field "sort"'],
  ])('is 400 naming the parameter for %s', async (query, field, text) => {
    const response = await list(query);
    expect(response.statusCode).toBe(400);
    const error = errorOf(response);
    expect(error.fields).toEqual([field]);
    expect(error.body.details.flatMap((d) => d.fieldViolations ?? [])[0]?.description).toContain(
      text,
    );
  });
});

describe('GET /v1/projects/{p}/jobs/{j}', () => {
  it('returns the job with its trainingOutput', async () => {
    await createOk(irisJob('iris_get'));
    await startTrialAs(t.store, 'demo', 'iris_get', '1', 'worker-1');
    await t.store.jobs.transition('demo', 'iris_get', { from: ['QUEUED'], to: 'PREPARING' });
    await t.store.jobs.transition('demo', 'iris_get', { from: ['PREPARING'], to: 'RUNNING' });
    await t.store.trials.recordResult('demo', 'iris_get', '1', {
      state: 'SUCCEEDED',
      finalMetric: { trainingStep: 40, objectiveValue: 0.96 },
      modelDir: 'gs://demo/jobs/iris_get/model',
    });
    const response = await t.call('GET', '/v1/projects/demo/jobs/iris_get', {
      token: t.tokens.viewer,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      jobId: 'iris_get',
      state: 'RUNNING',
      trainingOutput: {
        builtInAlgorithmOutput: { modelPath: 'gs://demo/jobs/iris_get/model' },
        modelDir: 'gs://demo/jobs/iris_get/model',
      },
    });
  });

  it('is 404 JOB_NOT_FOUND for a missing job and 400 for a malformed id', async () => {
    const missing = await t.call('GET', '/v1/projects/demo/jobs/nope', { token: t.tokens.viewer });
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing)).toMatchObject({
      reason: 'JOB_NOT_FOUND',
      message: 'Job "projects/demo/jobs/nope" not found',
    });
    const bad = await t.call('GET', '/v1/projects/demo/jobs/no-dash', { token: t.tokens.viewer });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).fields).toEqual(['jobId']);
  });
});

describe('POST /v1/projects/{p}/jobs/{j}:cancel', () => {
  const cancel = (jobId: string, path = `${jobId}:cancel`) =>
    t.call('POST', `/v1/projects/demo/jobs/${path}`, { token: t.tokens.editor, body: {} });

  it('takes a queued job straight to CANCELLED and removes its queued trials', async () => {
    await createOk(irisJob('cancel_queued', { tuning: true }));
    const response = await cancel('cancel_queued');
    expect(response.statusCode).toBe(200);
    expect((response.json() as Job).state).toBe('CANCELLED');
    const trials = await t.store.trials.list('demo', 'cancel_queued');
    expect(trials.map((trial) => trial.state)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
    for (const trialId of ['1', '2', '3']) {
      expect(await bullJob('cpu', `demo/cancel_queued/${trialId}`)).toBeUndefined();
    }
  });

  it('moves a running job to CANCELLING and tells the workers', async () => {
    await createOk(irisJob('cancel_running'));
    await startTrialAs(t.store, 'demo', 'cancel_running', '1', 'worker-1');
    await t.store.jobs.transition('demo', 'cancel_running', { from: ['QUEUED'], to: 'PREPARING' });
    const events: unknown[] = [];
    const subscription = await t.store.events.subscribeCancel((event) => {
      events.push(event);
    });
    try {
      const response = await cancel('cancel_running', 'cancel_running%3Acancel');
      expect(response.statusCode).toBe(200);
      expect((response.json() as Job).state).toBe('CANCELLING');
      await expect.poll(() => events).toEqual([{ project: 'demo', jobId: 'cancel_running' }]);
      expect((await t.store.trials.get('demo', 'cancel_running', '1'))?.state).toBe('RUNNING');
      // Again while CANCELLING: accepted, nothing else changes.
      const again = await cancel('cancel_running');
      expect(again.statusCode).toBe(200);
      expect((again.json() as Job).state).toBe('CANCELLING');
    } finally {
      await subscription.close();
    }
  });

  it('refuses a finished job with 400 FAILED_PRECONDITION and changes nothing', async () => {
    const job = await createOk(irisJob('cancel_done'));
    await t.store.jobs.transition('demo', 'cancel_done', { from: ['QUEUED'], to: 'FAILED' });
    const before = await t.store.jobs.get('demo', 'cancel_done');
    const response = await cancel('cancel_done');
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({
      reason: 'INVALID_STATE_TRANSITION',
      message: 'Cannot move job "projects/demo/jobs/cancel_done" from FAILED to CANCELLING',
      body: { status: 'FAILED_PRECONDITION' },
    });
    expect(await t.store.jobs.get('demo', 'cancel_done')).toEqual(before);
    expect(before.etag).not.toBe(job.etag);
  });

  it('is 404 for a missing job', async () => {
    const response = await cancel('never_was');
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).reason).toBe('JOB_NOT_FOUND');
  });
});

describe('unknown routes and methods', () => {
  it('is 404 in the Google shape for an unknown path', async () => {
    const response = await t.call('GET', '/v1/projects/demo/widgets', { token: t.tokens.viewer });
    expect(response.statusCode).toBe(404);
    expect(errorOf(response)).toMatchObject({
      reason: 'ROUTE_NOT_FOUND',
      message: 'No route GET /v1/projects/demo/widgets',
    });
  });

  it('is 405 with Allow for a known path and another method', async () => {
    const response = await t.call('DELETE', '/v1/projects/demo/jobs/iris_plain', {
      token: t.tokens.editor,
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, PATCH');
    expect(errorOf(response)).toMatchObject({
      reason: 'METHOD_NOT_ALLOWED',
      body: { status: 'UNIMPLEMENTED' },
    });
    const put = await t.call('PUT', '/v1/projects/demo/jobs', { token: t.tokens.editor });
    expect(put.headers.allow).toBe('GET, POST');
  });
});
