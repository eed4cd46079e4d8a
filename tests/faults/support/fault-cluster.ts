/**
 * One Stratus installation on a private redis-server, for a fault test: the
 * API in this process (restartable on the same port), worker child processes
 * with fast-failover flags, a local bucket holding the Iris CSV.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startApiServer, type ApiServer, type ApiPlugin } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { loadConfig } from '@stratus/config';
import { createLocalStorage, type Storage } from '@stratus/storage';
import { createJobStore, type JobStore } from '@stratus/store';
import { FAST_FAILOVER_FLAGS } from '../../support/cluster.js';
import { spawnWorker, writeIris, type WorkerProcess } from '../../support/stratus-e2e.js';
import { startFaultRedis, type FaultRedis } from './redis-server.js';

export interface FaultCluster {
  readonly redisServer: FaultRedis;
  readonly home: string;
  readonly prefix: string;
  readonly adminToken: string;
  readonly env: Record<string, string>;
  /** The local bucket (`$STRATUS_HOME/buckets`). */
  readonly storage: Storage;
  /** A store on its own connection (it reconnects across Redis restarts). */
  readonly store: JobStore;
  readonly redis: Redis;
  /** The API server now running. */
  api(): ApiServer;
  /** Close the API and start a new one on the same port. */
  restartApi(): Promise<ApiServer>;
  readonly workers: readonly WorkerProcess[];
  /** Start one more worker (killed with the cluster). */
  spawnWorker(): Promise<WorkerProcess>;
  close(): Promise<void>;
}

export interface FaultClusterOptions {
  /** @defaultValue 1 */
  readonly workers?: number;
  readonly env?: Record<string, string>;
  readonly plugins?: readonly ApiPlugin[];
  readonly workerFlags?: readonly string[];
}

export const startFaultCluster = async (
  options: FaultClusterOptions = {},
): Promise<FaultCluster> => {
  const redisServer = await startFaultRedis();
  const home = await mkdtemp(join(tmpdir(), 'stratus-fault-'));
  const prefix = `test-${randomUUID()}`;
  const adminToken = `stratus_${randomBytes(24).toString('base64url')}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    STRATUS_HOME: home,
    REDIS_URL: redisServer.url,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_ADMIN_TOKEN: adminToken,
    STRATUS_TFJS_BACKEND: 'wasm',
    STRATUS_PORT: '0',
    STRATUS_WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    ...options.env,
  };
  const storage = createLocalStorage({ root: join(home, 'buckets') });
  await writeIris(storage);
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  const store = createJobStore({ redis, prefix });
  const startApi = (port: number): Promise<ApiServer> =>
    startApiServer(loadConfig({ ...env, STRATUS_PORT: String(port) }), {
      logger: createApiLogger({ level: 'silent' }),
      dashboardDir: false,
      ...(options.plugins === undefined ? {} : { plugins: options.plugins }),
    });
  let api = await startApi(0);
  const port = Number(new URL(api.url).port);
  const flags = [...(options.workerFlags ?? FAST_FAILOVER_FLAGS)];
  const workers: WorkerProcess[] = [];
  const spawn = async (): Promise<WorkerProcess> => {
    const worker = await spawnWorker(env, flags);
    workers.push(worker);
    return worker;
  };
  await Promise.all(Array.from({ length: options.workers ?? 1 }, spawn));
  return {
    redisServer,
    home,
    prefix,
    adminToken,
    env,
    storage,
    store,
    redis,
    api: () => api,
    restartApi: async () => {
      await api.close();
      api = await startApi(port);
      return api;
    },
    workers,
    spawnWorker: spawn,
    close: async () => {
      for (const worker of workers) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await api.close().catch(() => undefined);
      redis.disconnect();
      await storage.close();
      await redisServer.close();
      await rm(home, { recursive: true, force: true });
    },
  };
};
