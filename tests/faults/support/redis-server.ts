/**
 * A private `redis-server` for one fault test: its own free port and data dir,
 * AOF on with `appendfsync everysec` (what production runs), so a test can
 * stop, kill and restart it without disturbing anyone else. Started with
 * `@stratus/serve`'s `startRedisServer`, the code `stratus serve` uses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer, type RedisServerProcess } from '@stratus/serve';

/** A port nothing listens on right now. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

export interface FaultRedis {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** The running redis-server's pid. */
  pid(): number;
  /** SIGTERM it (a clean shutdown: AOF flushed) and wait for it to exit. */
  stop(): Promise<void>;
  /** SIGKILL it (a crash) and wait for it to exit. */
  kill(): Promise<void>;
  /** Start it again on the same port and dir; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stop it and remove its dir. */
  close(): Promise<void>;
}

/** Start a redis-server on a free port with AOF (fsync every second) in a temp dir. */
export const startFaultRedis = async (): Promise<FaultRedis> => {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'stratus-fault-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const options = { binary: 'redis-server', url, dir, args: ['--appendfsync', 'everysec'] };
  let server: RedisServerProcess = await startRedisServer(options);
  return {
    url,
    port,
    dir,
    pid: () => server.pid,
    stop: () => server.stop(),
    kill: () => server.kill(),
    start: async () => {
      server = await startRedisServer(options);
    },
    close: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
};
