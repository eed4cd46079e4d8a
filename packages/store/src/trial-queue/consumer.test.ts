import { afterAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { fieldError, toWireError } from '@stratus/spec';
import { jobInput, openTestStore } from '../../../../tests/support/test-store.js';
import { createTrialConsumer } from './consumer.js';
import {
  closeTrialQueues,
  createTrialQueues,
  enqueueTrials,
  trialJobId,
  type TrialJobData,
} from './producer.js';
import { attemptError } from './retry-policy.js';
import { TEST_REDIS_URL } from '../../../../tests/support/redis-url.js';

const t = openTestStore();
const queues = createTrialQueues(t.redis, t.prefix);
const connections: Redis[] = [];
afterAll(async () => {
  await closeTrialQueues(queues);
  for (const connection of connections) connection.disconnect();
  await t.close();
});

const bullConnection = (): Redis => {
  const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  connections.push(connection);
  return connection;
};

describe('the trial consumer', () => {
  it('takes the trials the producer enqueues, with the default lock and stall settings', async () => {
    const seen: TrialJobData[] = [];
    const consumer = createTrialConsumer(
      bullConnection(),
      t.prefix,
      'cpu',
      (job) => {
        seen.push(job.data);
        return Promise.resolve('SUCCEEDED');
      },
      { concurrency: 2, name: 'worker-a' },
    );
    const completed = new Promise<[string | undefined, string]>((resolve) => {
      consumer.once('completed', (job: Job<TrialJobData>, result: string) =>
        resolve([job.id, result]),
      );
    });
    await enqueueTrials(queues, 'demo', jobInput('take_1'), ['1']);
    expect(await completed).toEqual([trialJobId('demo', 'take_1', '1'), 'SUCCEEDED']);
    expect(seen).toEqual([{ project: 'demo', jobId: 'take_1', trialId: '1' }]);
    const { opts } = consumer;
    expect([
      opts.concurrency,
      opts.name,
      opts.lockDuration,
      opts.stalledInterval,
      opts.maxStalledCount,
    ]).toEqual([2, 'worker-a', 30_000, 30_000, 2]);
    await consumer.close();
  });

  it('fails a trial for good on its first attempt when the error is not retryable', async () => {
    const consumer = createTrialConsumer(
      bullConnection(),
      t.prefix,
      'gpu',
      () =>
        Promise.reject(
          attemptError(toWireError(fieldError('PERMISSION_DENIED', 'jobDir', 'is not granted'))),
        ),
      { concurrency: 1, name: 'worker-b', lockDurationMs: 10_000 },
    );
    expect(consumer.opts.lockDuration).toBe(10_000);
    const failed = new Promise<Job<TrialJobData> | undefined>((resolve) => {
      consumer.once('failed', (job) => resolve(job));
    });
    const gpuJob = {
      ...jobInput('deny_1'),
      trainingInput: { ...jobInput('deny_1').trainingInput, scaleTier: 'BASIC_GPU' as const },
    };
    await enqueueTrials(queues, 'demo', gpuJob, ['1']);
    const job = await failed;
    expect([job?.attemptsMade, job?.opts.attempts, job?.failedReason]).toEqual([
      1,
      3,
      'Permission denied: jobDir: is not granted',
    ]);
    expect(await job?.getState()).toBe('failed');
    await consumer.close();
  });
});
