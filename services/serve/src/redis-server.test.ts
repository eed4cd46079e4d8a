import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { redisAnswers, startRedisServer, type RedisServerProcess } from './redis-server.js';
import { freePort } from './serve.test-support.js';

let dir = '';
let server: RedisServerProcess | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Whether `pid` leads a process group of its own. */
const leadsGroup = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startRedisServer', () => {
  it('passes extra arguments, stays in this process group, and restarts on its AOF after a SIGKILL', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    const options = { binary: 'redis-server', url, dir, args: ['--appendfsync', 'everysec'] };
    server = await startRedisServer(options);
    expect(leadsGroup(server.pid)).toBe(false);
    const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => undefined);
    await client.connect();
    expect(await client.config('GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    await client.set('k', 'v');
    client.disconnect();
    const killed = server;
    await killed.kill();
    expect(await redisAnswers(url, 300)).toBe(false);
    // The AOF is written before a reply goes out: a killed process loses no acknowledged write.
    server = await startRedisServer(options);
    expect(server.pid).not.toBe(killed.pid);
    const again = new Redis(url);
    expect(await again.get('k')).toBe('v');
    await again.quit();
  });

  it('runs in a process group of its own when detached', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    server = await startRedisServer({ binary: 'redis-server', url, dir, detached: true });
    expect(leadsGroup(server.pid)).toBe(true);
  });

  it('fails with NOT_READY when redis-server cannot start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(
      startRedisServer({ binary: join(dir, 'no-redis-server'), url, dir }),
    ).rejects.toMatchObject({
      reason: 'NOT_READY',
      message: expect.stringContaining(
        `redis-server did not start on port ${new URL(url).port}`,
      ) as unknown,
    });
  });
});
