/**
 * `src/main.ts` as a real child process: it serves /healthz and jobs with
 * STRATUS_ADMIN_TOKEN, stops on SIGTERM with exit 0 and its Redis connection
 * gone, and exits 1 naming the variable on a bad configuration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { irisJob, unlinkPrefix } from './api.test-support.js';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const prefix = `test-${randomUUID()}`;
const redis = new Redis(TEST_REDIS_URL);
const homes: string[] = [];

afterAll(async () => {
  await unlinkPrefix(redis, prefix);
  await redis.quit();
  await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
});

interface Child {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
}

const startMain = async (env: Record<string, string>): Promise<Child> => {
  const home = await mkdtemp(join(tmpdir(), 'stratus-api-main-'));
  homes.push(home);
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=stratus-src', MAIN], {
    env: {
      PATH: process.env.PATH,
      REDIS_URL: TEST_REDIS_URL,
      STRATUS_REDIS_PREFIX: prefix,
      STRATUS_HOME: home,
      STRATUS_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, lines, exited };
};

/** The first log line with this message, or undefined if the process exits first. */
const waitForLine = async (
  { lines, exited }: Child,
  msg: string,
): Promise<Record<string, unknown> | undefined> => {
  let done = false;
  void exited.then(() => (done = true));
  for (;;) {
    const line = lines.find((entry) => entry.msg === msg);
    if (line !== undefined || done) return line;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('stratus-api (src/main.ts)', () => {
  it('serves /healthz and jobs, then exits 0 on SIGTERM', async () => {
    const token = `admin-${randomUUID()}`;
    const api = await startMain({ STRATUS_ADMIN_TOKEN: token });
    const listening = await waitForLine(api, 'api listening');
    const url = String(listening?.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const created = await fetch(`${url}/v1/projects/demo/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(irisJob('from_main')),
    });
    expect(created.status).toBe(200);
    expect(((await created.json()) as { state: string }).state).toBe('QUEUED');
    expect(String(await redis.client('LIST'))).toContain(`name=${prefix}-api`);

    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(api.lines.map((line) => line.msg)).toContain('api stopping');
    expect(JSON.stringify(api.lines)).not.toContain(token);
    expect(String(await redis.client('LIST'))).not.toContain(`name=${prefix}-api`);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  }, 60_000);

  it('exits 1 naming the bad variable', async () => {
    const api = await startMain({ STRATUS_PORT: 'eighty' });
    expect(await api.exited).toBe(1);
    const failed = await waitForLine(api, 'api failed to start');
    expect(JSON.stringify(failed)).toContain(
      'STRATUS_PORT must be an integer from 0 to 65535 (got \\"eighty\\")',
    );
  }, 60_000);
});
