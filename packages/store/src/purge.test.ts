import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { purgePrefix } from './purge.js';
import { jobInput, openTestStore, scanKeys } from '../../../tests/support/test-store.js';
import { closeTrialQueues, createTrialQueues, enqueueTrials } from './trial-queue/producer.js';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

const t = openTestStore();
const neighbour = openTestStore();
afterAll(async () => {
  await t.close();
  await neighbour.close();
});

describe('purgePrefix', () => {
  it("unlinks every key of the prefix, BullMQ's too, and nothing of another prefix", async () => {
    const queues = createTrialQueues(t.redis, t.prefix);
    for (let i = 0; i < 30; i += 1) await t.store.jobs.create('demo', jobInput(`job_${i}`));
    await enqueueTrials(queues, 'demo', jobInput('job_1'), ['1']);
    await closeTrialQueues(queues);
    await neighbour.store.jobs.create('demo', jobInput('kept'));
    const before = (await scanKeys(t.redis, t.prefix)).length;
    expect(before).toBeGreaterThan(30);

    const redis = new Redis(TEST_REDIS_URL);
    expect(await purgePrefix(redis, t.prefix)).toBe(before);
    await redis.quit();
    expect(await scanKeys(t.redis, t.prefix)).toEqual([]);
    expect((await neighbour.store.jobs.get('demo', 'kept')).jobId).toBe('kept');
  });
});
