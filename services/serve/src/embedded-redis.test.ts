import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedis } from './embedded-redis.js';
import { redisAnswers } from './redis-server.js';
import { freePort } from './serve.test-support.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('ensureRedis', () => {
  it('uses a Redis that answers and starts nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const redis = await ensureRedis({ url: REDIS_URL, dir, path: process.env.PATH ?? '' });
    expect(redis).toMatchObject({ url: REDIS_URL, started: false });
    await redis.stop();
    expect(await redisAnswers(REDIS_URL)).toBe(true);
  });

  it('starts redis-server with AOF under the data dir when nothing answers, and stops it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    expect(await redisAnswers(url, 300)).toBe(false);
    const redis = await ensureRedis({ url, dir, path: process.env.PATH ?? '' });
    expect(redis.started).toBe(true);
    const client = new Redis(url);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'dir')).toEqual(['dir', dir]);
    await client.set('k', 'v');
    await client.quit();
    await redis.stop();
    expect(await redisAnswers(url, 300)).toBe(false);
    expect(await readdir(dir)).toContain('appendonlydir');
  });

  it('says what is missing when redis-server is not on the PATH', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(ensureRedis({ url, dir, path: '/nonexistent' })).rejects.toMatchObject({
      reason: 'NOT_READY',
      message: expect.stringContaining('redis-server is not on the PATH') as unknown,
    });
  });

  it('does not try to start a Redis for a remote REDIS_URL', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    await expect(
      ensureRedis({ url: 'redis://192.0.2.1:6399', dir, path: process.env.PATH ?? '' }),
    ).rejects.toMatchObject({
      message: expect.stringContaining('only started for a local REDIS_URL') as unknown,
    });
  });
});
