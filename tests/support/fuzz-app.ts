/**
 * The app the fuzzer and the security tests hit: `buildApp` with the
 * predictor plugin mounted (as the all-in-one server builds it), on the real
 * Redis under a fresh `test-<uuid>` prefix and a local bucket in a temp dir,
 * with a seeded job, model and two READY versions (a Stratus-trained Iris
 * bundle and a raw tfjs layers model) so deep code paths are reachable.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { buildApp, type ApiOptions } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { loadConfig, type StratusConfig } from '@stratus/config';
import { predictorPlugin } from '@stratus/predictor';
import { designExampleJob, type TrainingJobInput, type Version } from '@stratus/spec';
import {
  closeTrialQueues,
  createJobStore,
  createTrialQueues,
  purgePrefix,
  type JobStore,
  type TrialQueues,
} from '@stratus/store';
import { storageIOHandler, tf } from '@stratus/bundle';
import {
  IRIS_URI,
  runTrial,
  trialFixture,
  trialSpec,
  type TrialFixture,
} from '@stratus/trainer/testing';
import { TEST_REDIS_URL } from './redis-url.js';

/** Names of what `openFuzzApp` seeds, in `config.defaultProject`. */
export const SEED = {
  job: 'seed_job',
  model: 'seed_model',
  irisVersion: 'iris',
  rawVersion: 'raw',
  irisUri: 'gs://demo/seed/iris/model',
  rawUri: 'gs://demo/seed/raw',
} as const;

export interface FuzzApp {
  readonly app: FastifyInstance;
  readonly store: JobStore;
  readonly fixture: TrialFixture;
  readonly config: Readonly<StratusConfig>;
  readonly project: string;
  /** The local bucket root (`$STRATUS_HOME/buckets`). */
  readonly bucketsRoot: string;
  readonly tokens: { readonly admin: string; readonly editor: string; readonly viewer: string };
  /** Every route the app registered: `METHOD /url/:with/:params`. */
  readonly routes: readonly string[];
  inject(
    method: string,
    url: string,
    init?: { token?: string; body?: string; contentType?: string },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The docs/api.md job (no tuning) with another id and job dir. */
export const exampleJob = (jobId: string): TrainingJobInput => {
  const { hyperparameters: _, ...trainingInput } = designExampleJob().trainingInput;
  return { jobId, trainingInput: { ...trainingInput, jobDir: `gs://demo/jobs/${jobId}` } };
};

const saveRawModel = async (fixture: TrialFixture, uri: string): Promise<void> => {
  const input = tf.input({ shape: [2], name: 'xy' });
  const output = tf.layers.dense({ units: 2, useBias: false, name: 'scale' }).apply(input);
  const model = tf.model({ inputs: input, outputs: output as tf.SymbolicTensor });
  await model.save(storageIOHandler(fixture.storage, uri));
  model.dispose();
};

const trainIris = async (fixture: TrialFixture): Promise<void> => {
  await runTrial(
    trialSpec({
      scaleTier: 'BASIC',
      region: 'local',
      jobDir: 'gs://demo/seed/iris',
      builtinAlgorithm: {
        name: 'dnn_classifier',
        trainingData: IRIS_URI,
        labelColumn: 'species',
        validationSplit: 0.2,
        epochs: 2,
        batchSize: 32,
        hiddenUnits: [4],
        seed: 7,
      },
    }),
    fixture.context(),
  );
};

const waitForVersion = async (
  store: JobStore,
  project: string,
  model: string,
  version: string,
): Promise<Version> => {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = await store.versions.get(project, model, version);
    if (found.state !== 'CREATING') return found;
    if (Date.now() > deadline) throw new Error(`version ${version} still CREATING`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export interface OpenFuzzAppOptions {
  readonly options?: Partial<ApiOptions>;
  readonly logger?: Logger;
}

/** Build the all-in-one app, seed it, and return a handle; `close()` removes everything. */
export const openFuzzApp = async (open: OpenFuzzAppOptions = {}): Promise<FuzzApp> => {
  const fixture = await trialFixture();
  const prefix = `test-${randomUUID()}`;
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_HOME: fixture.root,
    STRATUS_TFJS_BACKEND: 'wasm',
    LOG_LEVEL: 'silent',
  });
  const project = config.defaultProject;
  const redis = new Redis(TEST_REDIS_URL);
  const store = createJobStore({ redis, prefix });
  const queues: TrialQueues = createTrialQueues(redis, prefix);
  const admin = `admin-${randomUUID()}`;
  await store.tokens.ensureAdmin(admin);
  const grant = async (role: 'viewer' | 'editor') =>
    (await store.tokens.create({ project, role })).token;
  const tokens = { admin, editor: await grant('editor'), viewer: await grant('viewer') };
  await Promise.all([trainIris(fixture), saveRawModel(fixture, SEED.rawUri)]);
  const app = buildApp({
    config,
    store,
    storage: fixture.storage,
    redis,
    queues,
    logger: open.logger ?? createApiLogger({ level: 'silent' }),
    options: { writeRateLimit: 1_000_000, tokenCacheMs: 60_000, ...open.options },
    plugins: [predictorPlugin({ options: { limits: { threads: 0 } } })],
    dashboardDir: false,
  });
  const routes: string[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push(`${method} ${route.url}`);
  });
  await app.ready();
  await store.jobs.create(project, exampleJob(SEED.job));
  await store.models.create(project, { name: SEED.model, description: 'seeded' });
  await store.versions.create(project, SEED.model, {
    name: SEED.irisVersion,
    deploymentUri: SEED.irisUri,
  });
  await store.versions.create(project, SEED.model, {
    name: SEED.rawVersion,
    deploymentUri: SEED.rawUri,
  });
  for (const version of [SEED.irisVersion, SEED.rawVersion]) {
    const ready = await waitForVersion(store, project, SEED.model, version);
    if (ready.state !== 'READY') {
      throw new Error(`seed version ${version} is ${ready.state}: ${ready.errorMessage ?? ''}`);
    }
  }
  return {
    app,
    store,
    fixture,
    config,
    project,
    bucketsRoot: config.bucketsRoot,
    tokens,
    routes,
    inject: (method, url, init = {}) => {
      const headers: Record<string, string> = {};
      if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
      if (init.contentType !== undefined) headers['content-type'] = init.contentType;
      return app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(init.body === undefined ? {} : { payload: init.body }),
      });
    },
    close: async () => {
      await app.close();
      await closeTrialQueues(queues);
      await purgePrefix(redis, prefix);
      await redis.quit();
      await fixture.cleanup();
    },
  };
};
