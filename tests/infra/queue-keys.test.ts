import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUE_KINDS } from '@stratus/spec';
import {
  bullmqPrefix,
  createTrialQueues,
  closeTrialQueues,
  purgePrefix,
  queueName,
  queueWaitListKey,
  type TrialQueues,
} from '@stratus/store';
import { TEST_REDIS_URL } from '../support/redis-url.js';

/**
 * KEDA reads queue lengths straight from Redis (LLEN), so the key names in keda.yaml must be
 * the ones BullMQ really writes. k8s.test.ts checks keda.yaml against packages/store's names;
 * this checks those names against BullMQ itself, on real Redis.
 */
describe.each(['stratus-infra', 'a.b{c}:d'])('BullMQ lists under prefix %s', (base) => {
  const prefix = `test-${randomUUID()}-${base}`;
  let redis: Redis;
  let queues: TrialQueues;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    queues = createTrialQueues(redis, prefix);
  });
  afterAll(async () => {
    await closeTrialQueues(queues);
    await purgePrefix(redis, prefix);
    await redis.quit();
  });

  it.each(QUEUE_KINDS)(
    'a queued %s trial is on the wait list, then on the active list',
    async (kind) => {
      const wait = queueWaitListKey(prefix, kind);
      const active = `${bullmqPrefix(prefix)}:${queueName(prefix, kind)}:active`;
      await queues[kind].add('trial', { project: 'p', jobId: 'j', trialId: '1' });
      await queues[kind].add('trial', { project: 'p', jobId: 'j', trialId: '2' });
      expect(await redis.type(wait)).toBe('list');
      expect(await redis.llen(wait)).toBe(2);

      const worker = new Worker(queueName(prefix, kind), null, {
        connection: redis.duplicate(),
        prefix: bullmqPrefix(prefix),
        autorun: false,
      });
      try {
        const job = await worker.getNextJob('infra-test-token');
        expect(job?.data.trialId).toBe('1');
        expect(await redis.llen(wait)).toBe(1);
        expect(await redis.type(active)).toBe('list');
        expect(await redis.llen(active)).toBe(1);
      } finally {
        await worker.close(true);
      }
    },
  );
});
