import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { StratusError } from '@stratus/spec';
import { probeRedis, startRedisServer } from './redis-server.js';
import { keepSecret } from './secret-file.js';

/** The Redis all-in-one mode uses: one that answered, or one it started. */
export interface ServeRedis {
  /** The URL every client uses, with the password when there is one: never log it as is. */
  readonly url: string;
  /** True when `stratus serve` started this redis-server (and stops it on close). */
  readonly started: boolean;
  /** The redis-server process, when started here. */
  readonly pid?: number;
  /** True when it answers commands without any password (a Redis found, not started here). */
  readonly unauthenticated: boolean;
  stop(): Promise<void>;
}

export interface EnsureRedisOptions {
  /** REDIS_URL. */
  readonly url: string;
  /** Data directory of a started Redis: `$STRATUS_HOME/redis`. */
  readonly dir: string;
  /**
   * The password of a Redis started here: `$STRATUS_HOME/redis-password` (mode 0600),
   * generated on the first start and kept. A password in `url` wins over it.
   */
  readonly passwordFile: string;
  /** Where to look for `redis-server` (PATH). */
  readonly path: string;
  /** How long a started Redis may take to answer. @defaultValue 10000 */
  readonly startTimeoutMs?: number;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

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

const withPassword = (url: string, password: string): string => {
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
};

const found = (url: string, unauthenticated: boolean): ServeRedis => ({
  url,
  started: false,
  unauthenticated,
  stop: async () => undefined,
});

/**
 * Use the Redis at `url`, or — when nothing answers there, the URL is local
 * and `redis-server` is on the PATH — start one on that port with its data
 * (AOF on) under `dir` and a password (`passwordFile`), to be stopped with
 * `stop()`. A Redis that asks for a password the URL lacks is tried with the
 * kept one (a Redis an earlier start left running).
 */
export const ensureRedis = async (options: EnsureRedisOptions): Promise<ServeRedis> => {
  const { url, dir } = options;
  const parsed = new URL(url);
  const probe = await probeRedis(url);
  if (probe === 'pong') return found(url, parsed.password === '');
  const kept = () => keepSecret(options.passwordFile, () => randomBytes(24).toString('hex'));
  if (probe === 'auth-required') {
    if (parsed.password === '') {
      const retry = withPassword(url, (await kept()).value);
      if ((await probeRedis(retry)) === 'pong') return found(retry, false);
    }
    throw unavailable(
      `the Redis at ${parsed.host} refused ${parsed.password === '' ? 'a connection without a password' : 'the password in REDIS_URL'}; put its password in REDIS_URL (redis://:PASSWORD@${parsed.host}), see docs/operations.md`,
    );
  }
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
  const authUrl = parsed.password === '' ? withPassword(url, (await kept()).value) : url;
  // Its own process group: a Ctrl-C meant for `stratus serve` must not stop
  // Redis before the API and worker are done with it; close() stops it last.
  const server = await startRedisServer({
    binary,
    url: authUrl,
    dir,
    detached: true,
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
  });
  return {
    url: authUrl,
    started: true,
    unauthenticated: false,
    ...(server.pid === 0 ? {} : { pid: server.pid }),
    stop: server.stop,
  };
};
