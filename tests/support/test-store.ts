import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { StratusError, type TrainingJobInput } from '@stratus/spec';
import {
  createJobStore,
  createKeys,
  purgePrefix,
  type JobStore,
  type JobStoreOptions,
  type StartTrialResult,
  type StoreAreas,
} from '@stratus/store';
import { TEST_REDIS_URL } from './redis-url.js';

/** Every key under `prefix` (SCAN, never KEYS). */
export const scanKeys = async (redis: Redis, prefix: string): Promise<string[]> => {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(
      cursor,
      'MATCH',
      `${createKeys(prefix).all}*`,
      'COUNT',
      1000,
    );
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
};

export interface TestStore {
  readonly redis: Redis;
  readonly store: JobStore;
  readonly prefix: string;
  /** Another connection, as a second API replica or worker would have. */
  connect(): Redis;
  /** Unlink every key of the prefix and close all connections. */
  close(): Promise<void>;
}

/** A store on a fresh `test-<uuid>` prefix. */
export const openTestStore = (
  options: Omit<JobStoreOptions, 'redis' | 'prefix'> = {},
): TestStore => {
  const prefix = `test-${randomUUID()}`;
  const redis = new Redis(TEST_REDIS_URL);
  const extra: Redis[] = [];
  return {
    redis,
    store: createJobStore({ ...options, redis, prefix }),
    prefix,
    connect: () => {
      const connection = new Redis(TEST_REDIS_URL);
      extra.push(connection);
      return connection;
    },
    close: async () => {
      await purgePrefix(redis, prefix);
      for (const connection of extra) connection.disconnect();
      await redis.quit();
    },
  };
};

/** A minimal valid job; `tuning` adds a MAXIMIZE hyperparameter spec. */
export const jobInput = (
  jobId: string,
  extra: { labels?: Record<string, string>; tuning?: 'MAXIMIZE' | 'MINIMIZE' } = {},
): TrainingJobInput => ({
  jobId,
  ...(extra.labels === undefined ? {} : { labels: extra.labels }),
  trainingInput: {
    scaleTier: 'BASIC',
    region: 'local',
    jobDir: `gs://demo/jobs/${jobId}`,
    builtinAlgorithm: {
      name: 'dnn_classifier',
      trainingData: 'gs://demo/data/iris.csv',
      labelColumn: 'species',
    },
    ...(extra.tuning === undefined
      ? {}
      : {
          hyperparameters: {
            goal: extra.tuning,
            hyperparameterMetricTag: 'val_accuracy',
            maxTrials: 4,
            maxParallelTrials: 2,
            params: [
              { parameterName: 'learningRate', type: 'DOUBLE', minValue: 0.001, maxValue: 0.1 },
            ],
          },
        }),
  },
});

/** The StratusError `promise` rejects with; fails the test if it resolves or throws anything else. */
export const stratusFailure = async (promise: Promise<unknown>): Promise<StratusError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StratusError) return error;
    throw error;
  }
  throw new Error('expected a StratusError');
};

/**
 * Start a trial as worker `workerId` would (`store.trials.start`), with a
 * slot limit no test reaches: for tests that need a RUNNING trial.
 */
export const startTrialAs = (
  store: StoreAreas<'trials'>,
  project: string,
  jobId: string,
  trialId: string,
  workerId: string,
): Promise<StartTrialResult> =>
  store.trials.start(project, jobId, trialId, {
    workerId,
    slot: { holder: `${jobId}/${trialId}/${workerId}`, limit: 1_000_000, leaseMs: 600_000 },
  });
