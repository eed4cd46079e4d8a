import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { StratusError } from '@stratus/spec';

/** The Redis all-in-one mode uses: one that answered, or one it started. */
export interface ServeRedis {
  readonly url: string;
  /** True when `stratus serve` started this redis-server (and stops it on close). */
  readonly started: boolean;
  /** The redis-server process, when started here. */
  readonly pid?: number;
  stop(): Promise<void>;
}

export interface EnsureRedisOptions {
  /** REDIS_URL. */
  readonly url: string;
  /** Data directory of a started Redis: `$STRATUS_HOME/redis`. */
  readonly dir: string;
  /** Where to look for `redis-server` (PATH). */
  readonly path: string;
  /** How long a started Redis may take to answer. @defaultValue 10000 */
  readonly startTimeoutMs?: number;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a Redis answers PING at `url` within `timeoutMs`. */
export const redisAnswers = async (url: string, timeoutMs = 1_000): Promise<boolean> => {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
};

const findExecutable = async (name: string, path: string): Promise<string | undefined> => {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
};

const unavailable = (detail: string): StratusError =>
  new StratusError('NOT_READY', { detail: `Redis: ${detail}` });

/**
 * Use the Redis at `url`, or — when nothing answers there, the URL is local
 * and `redis-server` is on the PATH — start one on that port with its data
 * (AOF on) under `dir`, to be stopped with `stop()`.
 */
export const ensureRedis = async (options: EnsureRedisOptions): Promise<ServeRedis> => {
  const { url, dir } = options;
  if (await redisAnswers(url)) return { url, started: false, stop: async () => undefined };
  const parsed = new URL(url);
  if (!LOCAL_HOSTS.has(parsed.hostname)) {
    throw unavailable(
      `nothing answers at ${parsed.host}, and a Redis is only started for a local REDIS_URL`,
    );
  }
  const binary = await findExecutable('redis-server', options.path);
  if (binary === undefined) {
    throw unavailable(
      `nothing answers at ${parsed.host} and redis-server is not on the PATH; start Redis or set REDIS_URL`,
    );
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const args = [
    '--port',
    parsed.port || '6379',
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--save',
    '',
    '--daemonize',
    'no',
    '--logfile',
    join(dir, 'redis.log'),
    ...(parsed.password === '' ? [] : ['--requirepass', decodeURIComponent(parsed.password)]),
  ];
  // Its own process group: a Ctrl-C meant for `stratus serve` must not stop
  // Redis before the API and worker are done with it; close() stops it last.
  const child = spawn(binary, args, { stdio: 'ignore', detached: true });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // SIGTERM: redis-server flushes its AOF and exits.
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (!(await redisAnswers(url, 250))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      const log = await readFile(join(dir, 'redis.log'), 'utf8').catch(() => '');
      throw unavailable(
        `redis-server did not start on port ${parsed.port || '6379'}: ${log.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    await sleep(50);
  }
  return { url, started: true, ...(child.pid === undefined ? {} : { pid: child.pid }), stop };
};
