/**
 * A private `redis-server` for one fault test: its own free port and data dir,
 * AOF on, so a test can stop and restart it without disturbing anyone else.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

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
  /** Start it again on the same port and dir; resolves once it answers PING. */
  start(): Promise<void>;
  /** Stop it and remove its dir. */
  close(): Promise<void>;
}

const answers = async (url: string): Promise<boolean> => {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 500,
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

/** Start a redis-server on a free port with `--appendonly yes` in a temp dir. */
export const startFaultRedis = async (): Promise<FaultRedis> => {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'stratus-fault-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async (): Promise<void> => {
    const proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await answers(url))) {
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer`);
      await sleep(50);
    }
  };
  const stop = async (): Promise<void> => {
    child?.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    port,
    dir,
    pid: () => child?.pid ?? 0,
    stop,
    start,
    close: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
};
