import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { StratusError, coerceError } from '@stratus/spec';

/** What a Redis at a URL answered: PONG, a demand for (the right) password, or nothing. */
export type RedisProbe = 'pong' | 'auth-required' | 'down';

const AUTH_ERROR = /^(NOAUTH|WRONGPASS|ERR AUTH|ERR invalid password)/;

/** PING the Redis at `url` (with the URL's password, if any) within `timeoutMs`. */
export const probeRedis = async (url: string, timeoutMs = 1_000): Promise<RedisProbe> => {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let authError = false;
  client.on('error', (error: unknown) => {
    if (AUTH_ERROR.test(coerceError(error).message)) authError = true;
  });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG' ? 'pong' : 'down';
  } catch (error) {
    return authError || AUTH_ERROR.test(coerceError(error).message) ? 'auth-required' : 'down';
  } finally {
    client.disconnect();
  }
};

/** Whether a Redis answers PING at `url` (authenticating with its password) within `timeoutMs`. */
export const redisAnswers = async (url: string, timeoutMs = 1_000): Promise<boolean> =>
  (await probeRedis(url, timeoutMs)) === 'pong';

// A redis.conf string: quoted, with backslashes and quotes escaped.
const confString = (value: string): string => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/**
 * The password goes to redis-server in a config file (mode 0600) rather than
 * as `--requirepass`, which `ps` would show to every local user.
 */
const writeAuthConfig = async (dir: string, password: string): Promise<string> => {
  const file = join(dir, 'stratus-auth.conf');
  await writeFile(file, `requirepass ${confString(password)}\n`, { mode: 0o600 });
  await chmod(file, 0o600); // in case an older file had looser bits
  return file;
};

export interface RedisServerOptions {
  /** The `redis-server` executable: a path, or a name looked up on the PATH. */
  readonly binary: string;
  /**
   * The URL it will answer at: its port and password (host 127.0.0.1). A password
   * becomes `requirepass` in `<dir>/stratus-auth.conf` (mode 0600), never an argument.
   */
  readonly url: string;
  /** Its data directory (created, mode 0700); the AOF and `redis.log` go there. */
  readonly dir: string;
  /** More `redis-server` arguments, e.g. `['--appendfsync', 'everysec']`. @defaultValue [] */
  readonly args?: readonly string[];
  /** Run it in its own process group, out of reach of a Ctrl-C meant for this process. @defaultValue false */
  readonly detached?: boolean;
  /** How long it may take to answer PING. @defaultValue 10000 */
  readonly startTimeoutMs?: number;
}

/** A `redis-server` this process started. */
export interface RedisServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** SIGTERM (it flushes its AOF and exits; SIGKILL after 10 s) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: nothing flushed) and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Start `redis-server` on the URL's port, bound to 127.0.0.1, with AOF on and
 * RDB snapshots off, its data in `dir`; resolves once it answers PING.
 * Fails with NOT_READY and the end of its log when it does not.
 */
export const startRedisServer = async (
  options: RedisServerOptions,
): Promise<RedisServerProcess> => {
  const { url, dir } = options;
  const parsed = new URL(url);
  const port = parsed.port || '6379';
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const password = decodeURIComponent(parsed.password);
  const args = [
    ...(password === '' ? [] : [await writeAuthConfig(dir, password)]),
    '--port',
    port,
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
    ...(options.args ?? []),
  ];
  const child = spawn(options.binary, args, {
    stdio: 'ignore',
    detached: options.detached ?? false,
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A missing binary is an 'error' event (and no 'exit' may follow it).
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const running = (): boolean =>
    spawnError === undefined && child.exitCode === null && child.signalCode === null;
  const signal = async (name: 'SIGTERM' | 'SIGKILL'): Promise<void> => {
    if (!running()) return;
    child.kill(name);
    const timer = name === 'SIGTERM' ? setTimeout(() => child.kill('SIGKILL'), 10_000) : undefined;
    await exited;
    clearTimeout(timer);
  };
  const stop = (): Promise<void> => signal('SIGTERM');
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (!(await redisAnswers(url, 250))) {
    if (!running() || Date.now() > deadline) {
      await stop();
      const log = await readFile(join(dir, 'redis.log'), 'utf8').catch(() => '');
      const tail = log.trim().split('\n').slice(-3).join(' | ') || (spawnError?.message ?? '');
      throw new StratusError('NOT_READY', {
        detail: `Redis: redis-server did not start on port ${port}: ${tail}`,
      });
    }
    await sleep(50);
  }
  return { url, pid: child.pid ?? 0, exited, stop, kill: () => signal('SIGKILL') };
};
