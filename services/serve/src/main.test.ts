/**
 * The admin token on stdout: `stratus serve`'s main as a real child process,
 * its stdout and stderr (and its worker child's, which it inherits) captured
 * whole. The token appears only on the start that generated it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { purgePrefix } from '@stratus/store';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const prefix = `test-${randomUUID()}`;
let home = '';

afterAll(async () => {
  const redis = new Redis(TEST_REDIS_URL);
  await purgePrefix(redis, prefix);
  await redis.quit();
  if (home !== '') await rm(home, { recursive: true, force: true });
});

interface Run {
  /** stdout and stderr together, from start to exit. */
  readonly output: string;
  /** The `Stratus is running: …` line's URL. */
  readonly printedUrl: string;
}

/** Start `stratus serve`, wait for its banner, stop it with SIGTERM, and return all it wrote. */
const serveOnce = async (extraEnv: Record<string, string> = {}): Promise<Run> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=stratus-src', 'services/serve/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'xdg'),
        STRATUS_HOME: join(home, 'stratus'),
        STRATUS_PORT: '0',
        REDIS_URL: TEST_REDIS_URL,
        STRATUS_REDIS_PREFIX: prefix,
        STRATUS_TFJS_BACKEND: 'cpu',
        STRATUS_WORKER_CONCURRENCY: '1',
        LOG_LEVEL: 'info',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const banner = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /^Stratus is running: (\S+)\n(?:.*\n)*? {2}CLI configured in .*\n/m.exec(
        output,
      );
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`serve exited ${String(code)}:\n${output}`)));
  });
  try {
    const printedUrl = await banner;
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    return { output, printedUrl };
  } finally {
    child.kill('SIGKILL');
  }
};

const occurrences = (text: string, needle: string): number => text.split(needle).length - 1;

describe('the admin token on stdout', () => {
  it('never prints a token the operator supplied in STRATUS_ADMIN_TOKEN (and warns of an open Redis once)', async () => {
    home = await mkdtemp(join(tmpdir(), 'stratus-serve-main-'));
    const supplied = `operator-${randomBytes(16).toString('hex')}`;
    const run = await serveOnce({ STRATUS_ADMIN_TOKEN: supplied });
    expect(occurrences(run.output, supplied)).toBe(0);
    expect(occurrences(run.output, encodeURIComponent(supplied))).toBe(0);
    const url = new URL(run.printedUrl);
    expect(url.search).toBe('');
    expect(url.pathname).toBe('/');
    expect(run.output).toContain(
      `  Sign in with the admin token from STRATUS_ADMIN_TOKEN: ${url.origin}/?token=<token>\n`,
    );
    // The shared test Redis has no password: said once, with the docs to read.
    const open = new URL(TEST_REDIS_URL).password === '';
    expect(occurrences(run.output, 'Redis answers without a password')).toBe(open ? 1 : 0);
    if (open) expect(run.output).toContain('docs/operations.md, \\"Redis password\\"');
    // The CLI still works at once: its config file holds the token (not stdout).
    const cli = JSON.parse(await readFile(join(home, 'xdg', 'stratus', 'config.json'), 'utf8'));
    expect((cli as { token: string }).token).toBe(supplied);
  }, 120_000);

  it('prints a generated token exactly once, on the start that generated it', async () => {
    home = await mkdtemp(join(tmpdir(), 'stratus-serve-main-'));
    const first = await serveOnce();
    const tokenFile = join(home, 'stratus', 'admin-token');
    const token = (await readFile(tokenFile, 'utf8')).trim();
    expect(new URL(first.printedUrl).searchParams.get('token')).toBe(token);
    expect(occurrences(first.output, token)).toBe(1);
    expect(first.output).toContain(`  Admin token generated and kept in ${tokenFile}\n`);

    const second = await serveOnce();
    expect(occurrences(second.output, token)).toBe(0);
    expect(new URL(second.printedUrl).search).toBe('');
    expect(second.output).toContain(
      `  Sign in with the admin token from ${tokenFile} (kept from an earlier start): `,
    );
  }, 180_000);
});
