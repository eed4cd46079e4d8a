import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { StratusError } from '@stratus/spec';
import { redisAnswers, startRedisServer } from './redis-server.js';

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
  // Its own process group: a Ctrl-C meant for `stratus serve` must not stop
  // Redis before the API and worker are done with it; close() stops it last.
  const server = await startRedisServer({
    binary,
    url,
    dir,
    detached: true,
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
  });
  return {
    url,
    started: true,
    ...(server.pid === 0 ? {} : { pid: server.pid }),
    stop: server.stop,
  };
};
