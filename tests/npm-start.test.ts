/**
 * `npm start` as a newcomer runs it: scripts/start.mjs builds the workspace,
 * starts its own Redis (nothing answers on REDIS_URL) with a generated
 * password, the API and a worker, prints the dashboard URL with a generated
 * token (once) and configures the CLI.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createLocalStorage } from '@stratus/storage';
import { probeRedis } from '@stratus/serve';
import {
  ROOT,
  alive,
  apiCall,
  irisTraining,
  waitForJob,
  writeIris,
} from './support/stratus-e2e.js';

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });

let home = '';
afterAll(async () => {
  if (home !== '') await rm(home, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves /healthz, accepts the Iris job with the printed token, and stops its Redis on SIGTERM', async () => {
    home = await mkdtemp(join(tmpdir(), 'stratus-start-'));
    const [port, redisPort] = await Promise.all([freePort(), freePort()]);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_CONFIG_HOME: join(home, 'xdg'),
      STRATUS_HOME: join(home, 'stratus'),
      STRATUS_PORT: String(port),
      REDIS_URL: redisUrl,
      STRATUS_REDIS_PREFIX: `test-${randomUUID()}`,
      STRATUS_TFJS_BACKEND: 'wasm',
      LOG_LEVEL: 'warn',
    };
    const server = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) =>
      server.once('exit', (code) => resolve(code)),
    );
    try {
      const lines: string[] = [];
      const url = await new Promise<string>((resolve, reject) => {
        void exited.then((code) =>
          reject(new Error(`npm start exited ${String(code)}: ${lines.join('\n')}`)),
        );
        createInterface({ input: server.stdout! }).on('line', (line) => {
          lines.push(line);
          const match = /^Stratus is running: (\S+)$/.exec(line);
          if (match?.[1] !== undefined) resolve(match[1]);
        });
      });
      const printed = new URL(url);
      expect(printed.origin).toBe(`http://127.0.0.1:${port}`);
      const token = printed.searchParams.get('token') ?? '';
      const redisPid = Number(/pid (\d+)/.exec(lines.join('\n'))?.[1]);
      expect(alive(redisPid)).toBe(true);

      expect((await readFile(join(home, 'stratus', 'admin-token'), 'utf8')).trim()).toBe(token);
      expect((await stat(join(home, 'stratus', 'admin-token'))).mode & 0o777).toBe(0o600);
      expect(lines.join('\n').split(token).length - 1).toBe(1);

      // Its Redis refuses a client without the password kept in $STRATUS_HOME (0600).
      const passwordFile = join(home, 'stratus', 'redis-password');
      const password = (await readFile(passwordFile, 'utf8')).trim();
      expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
      expect(lines.join('\n')).not.toContain(password);
      const authUrl = `redis://:${password}@127.0.0.1:${redisPort}`;
      expect(await probeRedis(redisUrl)).toBe('auth-required');
      expect(await probeRedis(authUrl)).toBe('pong');
      expect(
        JSON.parse(await readFile(join(home, 'xdg', 'stratus', 'config.json'), 'utf8')),
      ).toEqual({
        'api-url': printed.origin,
        project: 'default',
        token,
      });

      const health = await fetch(`${printed.origin}/healthz`);
      expect(health.status).toBe(200);
      // The dashboard (built by scripts/start.mjs) answers at the printed URL.
      const dashboard = await fetch(url);
      expect(dashboard.status).toBe(200);
      expect(dashboard.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await dashboard.text()).toContain('<div id="root"></div>');

      const storage = createLocalStorage({ root: join(home, 'stratus', 'buckets') });
      await writeIris(storage);
      const created = await apiCall(printed.origin, token, 'POST', '/v1/projects/default/jobs', {
        jobId: 'iris_start',
        trainingInput: irisTraining('iris_start', { epochs: 4 }),
      });
      expect(created.status).toBe(200);
      const job = await waitForJob(
        printed.origin,
        token,
        'iris_start',
        ['SUCCEEDED', 'FAILED'],
        90_000,
      );
      expect(job.state).toBe('SUCCEEDED');
      expect(await storage.exists('gs://demo/jobs/iris_start/model/model.json')).toBe(true);
      await storage.close();

      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(alive(redisPid)).toBe(false);
      expect(await probeRedis(authUrl, 500)).toBe('down');
    } finally {
      server.kill('SIGKILL');
    }
  }, 300_000);
});
