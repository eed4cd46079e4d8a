import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { ensureRedis } from './embedded-redis.js';
import { probeRedis, redisAnswers } from './redis-server.js';
import { freePort } from './serve.test-support.js';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

const PATH = process.env.PATH ?? '';
const passwordFile = (): string => join(dir, 'redis-password');
/** The options `stratus serve` passes, with data and password under the test's dir. */
const local = (url: string) => ({
  url,
  dir: join(dir, 'redis'),
  passwordFile: passwordFile(),
  path: PATH,
});

let dir = '';
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('ensureRedis', () => {
  it('uses a Redis that answers and starts nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const redis = await ensureRedis(local(TEST_REDIS_URL));
    expect(redis).toMatchObject({ url: TEST_REDIS_URL, started: false });
    // The shared test Redis has no password: serve.ts warns about exactly this.
    expect(redis.unauthenticated).toBe(new URL(TEST_REDIS_URL).password === '');
    await redis.stop();
    expect(await redisAnswers(TEST_REDIS_URL)).toBe(true);
  });

  it('starts redis-server with AOF and a kept password when nothing answers, and stops it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    expect(await redisAnswers(url, 300)).toBe(false);
    const redis = await ensureRedis(local(url));
    expect(redis).toMatchObject({ started: true, unauthenticated: false });
    const password = (await readFile(passwordFile(), 'utf8')).trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect((await stat(passwordFile())).mode & 0o777).toBe(0o600);
    expect(redis.url).toBe(`redis://:${password}@127.0.0.1:${new URL(url).port}`);
    // Without the password: NOAUTH. With it: a working Redis with AOF under the data dir.
    expect(await probeRedis(url)).toBe('auth-required');
    const anonymous = new Redis(url, {
      lazyConnect: true,
      enableReadyCheck: false,
      retryStrategy: () => null,
    });
    anonymous.on('error', () => undefined);
    await anonymous.connect();
    await expect(anonymous.ping()).rejects.toThrow(/^NOAUTH/);
    anonymous.disconnect();
    const client = new Redis(redis.url);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'dir')).toEqual(['dir', join(dir, 'redis')]);
    await client.set('k', 'v');
    await client.quit();
    // The password reaches redis-server in a 0600 file, not on its command line (ps shows that).
    const conf = join(dir, 'redis', 'stratus-auth.conf');
    expect((await stat(conf)).mode & 0o777).toBe(0o600);
    expect(await readFile(`/proc/${String(redis.pid)}/cmdline`, 'utf8')).not.toContain(password);
    await redis.stop();
    expect(await probeRedis(url, 300)).toBe('down');
    expect(await readdir(join(dir, 'redis'))).toContain('appendonlydir');
    // The next start keeps the password, and the data.
    const again = await ensureRedis(local(url));
    expect(again.url).toBe(redis.url);
    const reader = new Redis(again.url);
    expect(await reader.get('k')).toBe('v');
    await reader.quit();
    await again.stop();
  });

  it('finds a Redis an earlier start left running with the kept password', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    const first = await ensureRedis(local(url));
    try {
      const second = await ensureRedis(local(url));
      expect(second).toMatchObject({ url: first.url, started: false, unauthenticated: false });
    } finally {
      await first.stop();
    }
  });

  it('names the fix, not the password, when REDIS_URL has a wrong one', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    const running = await ensureRedis(local(url));
    try {
      const wrong = url.replace('redis://', 'redis://:not-the-password-42@');
      const error = await ensureRedis(local(wrong)).then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
      expect(error?.message).toBe(
        `Not ready: Redis: the Redis at 127.0.0.1:${new URL(url).port} refused the password in REDIS_URL; put its password in REDIS_URL (redis://:PASSWORD@127.0.0.1:${new URL(url).port}), see docs/operations.md`,
      );
      expect(error?.message).not.toContain('not-the-password-42');
    } finally {
      await running.stop();
    }
  });

  it('says what is missing when redis-server is not on the PATH', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(ensureRedis({ ...local(url), path: '/nonexistent' })).rejects.toMatchObject({
      reason: 'NOT_READY',
      message: expect.stringContaining('redis-server is not on the PATH') as unknown,
    });
  });

  it('does not try to start a Redis for a remote REDIS_URL', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-redis-'));
    await expect(ensureRedis(local('redis://192.0.2.1:6399'))).rejects.toMatchObject({
      message: expect.stringContaining('only started for a local REDIS_URL') as unknown,
    });
  });
});
