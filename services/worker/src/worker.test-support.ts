import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { loadConfig, type StratusConfig } from '@stratus/config';
import type { Job, JobInput } from '@stratus/spec';
import { createLocalStorage, type Storage } from '@stratus/storage';
import {
  closeTrialQueues,
  createJobStore,
  createTrialQueues,
  purgePrefix,
  type JobStore,
  type TrialQueues,
} from '@stratus/store';
// Shared with the cross-service tests, so both train on the same data.
import { irisTraining, writeIris } from '../../../tests/support/stratus-e2e.js';
import { runControllerStep } from '@stratus/lifecycle';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

/** A Stratus home with Iris in its local bucket, a config for it, and a store on a test prefix. */
export interface WorkerFixture {
  readonly home: string;
  readonly config: Readonly<StratusConfig>;
  readonly env: Record<string, string>;
  readonly redis: Redis;
  readonly store: JobStore;
  readonly queues: TrialQueues;
  readonly storage: Storage;
  /** Store a job and enqueue its first trials (what the API does on POST). */
  submit(input: JobInput): Promise<Job>;
  /** Poll until the job's state is one of `states` (or time out with the last state). */
  waitForState(jobId: string, states: readonly string[], timeoutMs: number): Promise<Job>;
  close(): Promise<void>;
}

/** The Iris training input the cross-service tests use too. */
export const irisInput = irisTraining;

/** Open a fixture; `extraEnv` adds Stratus variables (all as the environment would carry them). */
export const workerFixture = async (
  extraEnv: Record<string, string> = {},
): Promise<WorkerFixture> => {
  const home = await mkdtemp(join(tmpdir(), 'stratus-worker-'));
  const prefix = `test-${randomUUID()}`;
  const env = {
    STRATUS_HOME: home,
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_TFJS_BACKEND: 'wasm',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const config = loadConfig(env);
  const storage = createLocalStorage({ root: config.bucketsRoot });
  await writeIris(storage);
  const redis = new Redis(TEST_REDIS_URL);
  const store = createJobStore({ redis, prefix });
  const queues = createTrialQueues(redis, prefix);
  const fixture: WorkerFixture = {
    home,
    config,
    env,
    redis,
    store,
    queues,
    storage,
    submit: async (input) => {
      const job = await store.jobs.create('demo', input);
      // The controller step creates a new job's first trials (one, or a tuning batch).
      await runControllerStep({ store, queues }, 'demo', input.jobId);
      return job;
    },
    waitForState: async (jobId, states, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await store.jobs.get('demo', jobId);
        if (states.includes(job.state) || Date.now() > deadline) return job;
        await sleep(50);
      }
    },
    close: async () => {
      await closeTrialQueues(queues);
      await purgePrefix(redis, prefix);
      await redis.quit();
      await storage.close();
      await rm(home, { recursive: true, force: true });
    },
  };
  return fixture;
};

/** The trial process pid the runner logged for a trial ("…, trial process 1234"). */
export const trialProcessPid = async (
  store: JobStore,
  jobId: string,
  trialId = '1',
): Promise<number | undefined> => {
  const { entries } = await store.streams.readLogs('demo', jobId, { count: 1000 });
  const line = entries.find(
    (entry) => entry.trialId === trialId && /trial process \d+/.test(entry.message),
  );
  const match = /trial process (\d+)/.exec(line?.message ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
};
