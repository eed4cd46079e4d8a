import { afterAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { bullmqPrefix, queueName } from '../keys.js';
import { jobInput, openTestStore } from '../../../../tests/support/test-store.js';
import { TRIAL_JOB_OPTIONS } from './job-options.js';
import {
  closeTrialQueues,
  createTrialQueues,
  enqueueTrials,
  removeQueuedTrialJobs,
  trialJobId,
  trialQueueKind,
} from './producer.js';
import { TEST_REDIS_URL } from '../../../../tests/support/redis-url.js';

const t = openTestStore();
const queues = createTrialQueues(t.redis, t.prefix);
afterAll(async () => {
  await closeTrialQueues(queues);
  await t.close();
});

const gpuJob = {
  ...jobInput('gpu_1'),
  trainingInput: { ...jobInput('gpu_1').trainingInput, scaleTier: 'BASIC_GPU' as const },
};

describe('trial queues', () => {
  it('routes GPU jobs to the gpu queue and the rest to cpu', () => {
    expect(trialQueueKind(jobInput('cpu_1'))).toBe('cpu');
    expect(trialQueueKind(gpuJob)).toBe('gpu');
    expect(
      trialQueueKind({
        trainingInput: {
          ...jobInput('c').trainingInput,
          scaleTier: 'CUSTOM',
          masterConfig: { acceleratorConfig: { count: 1, type: 'NVIDIA_TESLA_T4' } },
        },
      }),
    ).toBe('gpu');
  });

  it('enqueues a trial once however often it is enqueued, with retry options', async () => {
    await enqueueTrials(queues, 'demo', jobInput('once_1'), ['1', '2']);
    await enqueueTrials(queues, 'demo', jobInput('once_1'), ['2']);
    await enqueueTrials(queues, 'demo', gpuJob, ['1']);
    expect(await queues.cpu.getJobCounts('waiting')).toMatchObject({ waiting: 2 });
    expect(await queues.gpu.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    const job = await queues.cpu.getJob(trialJobId('demo', 'once_1', '2'));
    expect(job?.data).toEqual({ project: 'demo', jobId: 'once_1', trialId: '2' });
    expect(job?.opts.attempts).toBe(TRIAL_JOB_OPTIONS.attempts);
    expect(job?.opts.backoff).toEqual(TRIAL_JOB_OPTIONS.backoff);
  });

  it('removes waiting trials but leaves one a worker holds', async () => {
    await queues.cpu.drain();
    await enqueueTrials(queues, 'demo', jobInput('rm_1'), ['1', '2', '3']);
    const connection = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const worker = new Worker(queueName(t.prefix, 'cpu'), null, {
      connection,
      prefix: bullmqPrefix(t.prefix),
    });
    const held = await worker.getNextJob('token-1');
    expect(held?.id).toBe(trialJobId('demo', 'rm_1', '1'));
    expect(
      await removeQueuedTrialJobs(queues, 'demo', jobInput('rm_1'), ['1', '2', '3', '9']),
    ).toBe(2);
    expect(await held?.getState()).toBe('active');
    expect(await queues.cpu.getJobCounts('waiting')).toMatchObject({ waiting: 0 });
    await worker.close();
    connection.disconnect();
  });
});
