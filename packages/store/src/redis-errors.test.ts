import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logRedisErrors } from './redis-errors.js';

const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

afterEach(() => vi.restoreAllMocks());

describe('logRedisErrors', () => {
  it('logs refused reconnects through the logger, not console.error (regression)', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warnings: { obj: object; msg?: string }[] = [];
    const logger = {
      info: () => undefined,
      debug: () => undefined,
      error: () => undefined,
      warn: (obj: object, msg?: string) => warnings.push({ obj, msg }),
    };
    const redis = logRedisErrors(
      new Redis(`redis://127.0.0.1:${await closedPort()}`, { retryStrategy: () => 20 }),
      logger,
      'test',
    );
    try {
      await vi.waitFor(() => expect(warnings.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    } finally {
      redis.disconnect();
    }
    expect(warnings[0]?.msg).toBe('Redis connection error; reconnecting');
    expect(warnings[0]?.obj).toMatchObject({ connection: 'test' });
    expect(String((warnings[0]?.obj as { err: Error }).err.message)).toMatch(/ECONNREFUSED/);
    expect(consoleError).not.toHaveBeenCalled();
  });
});
