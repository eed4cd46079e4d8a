import { afterAll, describe, expect, it } from 'vitest';
import { resolveHyperparameterSpec, type StratusError } from '@stratus/spec';
import { etagOf } from './etag.js';
import { createJobStore } from './store.js';
import { jobInput, openTestStore, stratusFailure } from '../../../tests/support/test-store.js';

const t = openTestStore({ now: () => new Date('2024-05-01T12:00:00.000Z') });
const { store } = t;
afterAll(() => t.close());

describe('jobs', () => {
  it('creates a QUEUED job and reads it back', async () => {
    const created = await store.jobs.create('demo', jobInput('iris_1', { labels: { team: 'ml' } }));
    expect(created).toEqual({
      ...jobInput('iris_1', { labels: { team: 'ml' } }),
      state: 'QUEUED',
      createTime: '2024-05-01T12:00:00.000Z',
      trainingOutput: {
        consumedMLUnits: 0,
        isHyperparameterTuningJob: false,
        isBuiltInAlgorithmJob: true,
      },
      etag: etagOf('1'),
    });
    expect(await store.jobs.get('demo', 'iris_1')).toEqual(created);
    expect(await store.jobs.listProjects()).toContain('demo');
  });

  it('answers 409 JOB_ALREADY_EXISTS for a taken id and leaves the job alone', async () => {
    await store.jobs.create('demo', jobInput('dup_1'));
    await store.jobs.transition('demo', 'dup_1', { from: ['QUEUED'], to: 'PREPARING' });
    const error = await stratusFailure(
      store.jobs.create('demo', jobInput('dup_1', { labels: { a: 'b' } })),
    );
    expect(error.reason).toBe('JOB_ALREADY_EXISTS');
    expect(error.httpStatus).toBe(409);
    expect(error.message).toBe('Job "projects/demo/jobs/dup_1" already exists');
    const job = await store.jobs.get('demo', 'dup_1');
    expect(job.state).toBe('PREPARING');
    expect(job.labels).toBeUndefined();
  });

  it('lets exactly one of 20 parallel creates of one id succeed', async () => {
    const connections = Array.from({ length: 20 }, () =>
      createJobStore({ redis: t.connect(), prefix: t.prefix }),
    );
    const outcomes = await Promise.allSettled(
      connections.map((racer, i) =>
        racer.jobs.create('race', jobInput('same_id', { labels: { n: String(i) } })),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const reasons = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [(outcome.reason as StratusError).reason] : [],
    );
    expect(reasons).toEqual(Array.from({ length: 19 }, () => 'JOB_ALREADY_EXISTS'));
    expect(await t.redis.zcard(store.keys.project('race').jobs)).toBe(1);
    const labelled = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.redis.zcard(store.keys.project('race').jobsWithLabel('n', String(i))),
      ),
    );
    expect(labelled.reduce((sum, n) => sum + n, 0)).toBe(1);
  });

  it('keeps projects apart: the same id in two projects, and 404 across them', async () => {
    await store.jobs.create('alpha', jobInput('shared'));
    await store.jobs.create('beta', jobInput('shared'));
    await store.jobs.transition('alpha', 'shared', { from: ['QUEUED'], to: 'PREPARING' });
    expect((await store.jobs.get('beta', 'shared')).state).toBe('QUEUED');
    const error = await stratusFailure(store.jobs.get('gamma', 'shared'));
    expect(error.reason).toBe('JOB_NOT_FOUND');
    expect(error.httpStatus).toBe(404);
    expect(error.message).toBe('Job "projects/gamma/jobs/shared" not found');
    expect(await store.jobs.find('gamma', 'shared')).toBeUndefined();
  });

  it('rejects ids that are not valid names before touching Redis', async () => {
    const error = await stratusFailure(store.jobs.get('demo', 'bad-id'));
    expect(error.reason).toBe('INVALID_RESOURCE_NAME');
    expect(error.message).toContain('Invalid job name "bad-id"');
    const project = await stratusFailure(store.jobs.create('Demo', jobInput('ok_1')));
    expect(project.reason).toBe('INVALID_RESOURCE_NAME');
  });

  it('records the effective goal and metric tag of a tuning job', async () => {
    const job = await store.jobs.create('demo', jobInput('tune_1', { tuning: 'MINIMIZE' }));
    expect(job.trainingOutput).toEqual({
      completedTrialCount: '0',
      consumedMLUnits: 0,
      isHyperparameterTuningJob: true,
      isBuiltInAlgorithmJob: true,
      hyperparameterMetricTag: 'val_accuracy',
    });
    const input = jobInput('tune_2', { tuning: 'MAXIMIZE' });
    const spec = input.trainingInput.hyperparameters;
    const unspecified = {
      ...input,
      trainingInput: {
        ...input.trainingInput,
        hyperparameters: spec && { ...spec, goal: 'GOAL_TYPE_UNSPECIFIED' as const },
      },
    };
    if (spec === undefined) throw new Error('jobInput lost its tuning spec');
    const tuning = {
      ...resolveHyperparameterSpec({ ...spec, hyperparameterMetricTag: 'val_loss' }),
      goal: 'MINIMIZE' as const,
    };
    await store.jobs.create('demo', unspecified, { tuning });
    expect(await t.redis.hmget(store.keys.job('demo', 'tune_2').meta, 'goal', 'metricTag')).toEqual(
      ['MINIMIZE', 'val_loss'],
    );
    expect((await store.jobs.findWithTrials('demo', 'tune_2'))?.tuning).toEqual(tuning);
    expect((await store.jobs.findWithTrials('demo', 'tune_1'))?.tuning).toBeUndefined();
  });

  it('creates a job with its first trials in one step; a taken id changes none of them', async () => {
    const input = jobInput('with_trials', { tuning: 'MAXIMIZE', labels: { team: 'ml' } });
    const sets = [{ learningRate: '0.01' }, { learningRate: '0.1' }];
    const job = await store.jobs.create('trials', input, { trials: sets });
    expect(job.etag).toBe(etagOf('3'));
    expect(job.trainingOutput?.trials).toEqual([
      { trialId: '1', hyperparameters: sets[0], state: 'QUEUED', isTrialStoppedEarly: false },
      { trialId: '2', hyperparameters: sets[1], state: 'QUEUED', isTrialStoppedEarly: false },
    ]);
    expect(await store.jobs.get('trials', 'with_trials')).toEqual(job);
    const stored = await store.trials.list('trials', 'with_trials');
    expect(stored.map((trial) => [trial.trialId, trial.state, trial.hyperparameters])).toEqual([
      ['1', 'QUEUED', sets[0]],
      ['2', 'QUEUED', sets[1]],
    ]);
    expect(stored.every((trial) => trial.createTime === '2024-05-01T12:00:00.000Z')).toBe(true);
    expect(await store.trials.nextId('trials', 'with_trials')).toBe('3');
    expect((await store.jobs.list('trials', { filter: 'labels.team=ml' })).jobs).toHaveLength(1);

    const again = await stratusFailure(
      store.jobs.create('trials', input, { trials: [{ learningRate: '0.5' }] }),
    );
    expect(again.reason).toBe('JOB_ALREADY_EXISTS');
    expect(await store.trials.list('trials', 'with_trials')).toEqual(stored);

    // A job without tuning lists no trials (as Cloud ML), though its trial 1 is stored.
    const plain = await store.jobs.create('trials', jobInput('plain_one'), { trials: [{}] });
    expect(plain.etag).toBe(etagOf('2'));
    expect(plain.trainingOutput?.trials).toBeUndefined();
    expect(await store.jobs.get('trials', 'plain_one')).toEqual(plain);
    expect((await store.trials.list('trials', 'plain_one')).map((trial) => trial.trialId)).toEqual([
      '1',
    ]);
  });

  it('counts jobs by state per project', async () => {
    const counts = await store.jobs.countByState('demo');
    expect(counts).toEqual({
      QUEUED: 3,
      PREPARING: 1,
      RUNNING: 0,
      SUCCEEDED: 0,
      FAILED: 0,
      CANCELLING: 0,
      CANCELLED: 0,
    });
  });
});
