/**
 * An API server in the test process plus worker processes, on one e2e
 * environment (its own Redis prefix and local bucket): the set-up the
 * job-service and tuning end-to-end suites share.
 */
import { startApiServer, type ApiServer } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { loadConfig } from '@stratus/config';
import { createJobStore, type JobStore } from '@stratus/store';
import { openE2eEnv, spawnWorker, type E2eEnv, type WorkerProcess } from './stratus-e2e.js';

/** Short BullMQ locks, so a killed worker's trial is taken over within ~3 s. */
export const FAST_FAILOVER_FLAGS = [
  '--lock-duration-ms=2000',
  '--stalled-interval-ms=1000',
  '--heartbeat-interval-ms=500',
];

export interface Cluster {
  readonly env: E2eEnv;
  readonly api: ApiServer;
  readonly store: JobStore;
  /** Every worker started so far, killed ones included. */
  readonly workers: readonly WorkerProcess[];
  /** Start another worker process (closed with the cluster). */
  spawnWorker(): Promise<WorkerProcess>;
  /** SIGTERM the workers, wait for them, close the API and the environment. */
  close(): Promise<void>;
}

export interface ClusterOptions {
  /** @defaultValue 2 */
  readonly workers?: number;
  /** Extra environment for the API and the workers. */
  readonly env?: Record<string, string>;
  /** @defaultValue FAST_FAILOVER_FLAGS */
  readonly workerFlags?: readonly string[];
}

export const startCluster = async (options: ClusterOptions = {}): Promise<Cluster> => {
  const env = await openE2eEnv({ STRATUS_WORKER_CONCURRENCY: '1', ...options.env });
  const api = await startApiServer(loadConfig(env.env), {
    logger: createApiLogger({ level: 'silent' }),
  });
  const store = createJobStore({ redis: env.redis, prefix: env.prefix });
  const flags = [...(options.workerFlags ?? FAST_FAILOVER_FLAGS)];
  const workers: WorkerProcess[] = [];
  const spawn = async (): Promise<WorkerProcess> => {
    const worker = await spawnWorker(env.env, flags);
    workers.push(worker);
    return worker;
  };
  await Promise.all(Array.from({ length: options.workers ?? 2 }, spawn));
  return {
    env,
    api,
    store,
    workers,
    spawnWorker: spawn,
    close: async () => {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((worker) => worker.exited));
      await api.close();
      await env.close();
    },
  };
};
