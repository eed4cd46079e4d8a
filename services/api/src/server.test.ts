import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { StratusClient } from '@stratus/client';
import { loadConfig } from '@stratus/config';
import { createApiLogger } from '@stratus/http';
import { irisJob, unlinkPrefix } from './api.test-support.js';
import { startApiServer } from './server.js';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

const prefix = `test-${randomUUID()}`;
const redis = new Redis(TEST_REDIS_URL);
afterAll(async () => {
  await unlinkPrefix(redis, prefix);
  await redis.quit();
});

describe('startApiServer', () => {
  it('listens, registers STRATUS_ADMIN_TOKEN, serves jobs, and closes everything', async () => {
    const home = await mkdtemp(join(tmpdir(), 'stratus-server-'));
    const adminToken = `admin-${randomUUID()}`;
    const config = loadConfig({
      REDIS_URL: TEST_REDIS_URL,
      STRATUS_REDIS_PREFIX: prefix,
      STRATUS_HOME: home,
      STRATUS_PORT: '0',
      STRATUS_ADMIN_TOKEN: adminToken,
    });
    const server = await startApiServer(config, { logger: createApiLogger({ level: 'silent' }) });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
      const client = new StratusClient({ baseUrl: server.url, token: adminToken, project: 'demo' });
      expect((await client.ready()).status).toBe('ok');
      expect((await client.jobs.create(irisJob('served'))).state).toBe('QUEUED');
      expect((await client.workers.list()).queues[0]).toEqual({
        kind: 'cpu',
        waiting: 1,
        active: 0,
        delayed: 0,
      });
    } finally {
      await server.close();
      await rm(home, { recursive: true, force: true });
    }
    const names = String(await redis.client('LIST'));
    expect(names).not.toContain(`name=${prefix}-api `);
    expect(names).not.toContain(`name=${prefix}-api-queues `);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
