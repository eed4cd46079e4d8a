import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Logger } from 'pino';
import { loadConfig, type StratusConfig } from '@stratus/config';
import { designExampleJob, type TrainingJobInput } from '@stratus/spec';
import { createStorage, type Storage } from '@stratus/storage';
import {
  closeTrialQueues,
  createJobStore,
  createTrialQueues,
  purgePrefix,
  type JobStore,
  type StoreLimits,
  type TrialQueues,
} from '@stratus/store';
import { createApiLogger } from '@stratus/http';
import { buildApp } from './app.js';
import type { ApiOptions } from './deps.js';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

/** Tokens of every kind the auth rules distinguish. */
export interface TestTokens {
  readonly admin: string;
  readonly viewer: string;
  readonly editor: string;
  /** An editor of project `other`. */
  readonly otherEditor: string;
}

export interface TestApi {
  readonly app: FastifyInstance;
  readonly store: JobStore;
  readonly storage: Storage;
  readonly redis: Redis;
  readonly queues: TrialQueues;
  readonly config: Readonly<StratusConfig>;
  readonly prefix: string;
  readonly tokens: TestTokens;
  /** `Authorization` header for a token. */
  auth(token: string): { authorization: string };
  /** `app.inject` with an optional bearer token and JSON body. */
  call(method: string, url: string, init?: CallInit): Promise<LightMyRequestResponse>;
  /** Unlink every key of the prefix, close the app, queues and connections, remove the temp dir. */
  close(): Promise<void>;
}

export interface OpenTestApiOptions {
  readonly options?: Partial<ApiOptions>;
  readonly logger?: Logger;
  readonly limits?: Partial<StoreLimits>;
  /** Storage to use instead of a local one in a temp dir. */
  readonly storage?: Storage;
  /** Connection /readyz pings instead of the store's. */
  readonly pingRedis?: Redis;
  /** A built dashboard to serve at `/`, or false for none. @defaultValue services/dashboard/dist */
  readonly dashboardDir?: string | false;
  /** More environment for loadConfig (e.g. `STRATUS_MAX_TRIALS`). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface CallInit {
  readonly token?: string;
  /** Sent as JSON (objects) or as is (strings, with your own content-type). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The `error` of a Google error body. */
export interface ErrorBody {
  readonly code: number;
  readonly status: string;
  readonly message: string;
  readonly details: readonly {
    readonly '@type': string;
    readonly reason?: string;
    readonly metadata?: Record<string, string>;
    readonly fieldViolations?: readonly { field: string; description: string }[];
  }[];
}

/** The error of a Google-shaped response: reason, message and field violations. */
export const errorOf = (
  response: LightMyRequestResponse,
): { code: number; reason: string; message: string; fields: string[]; body: ErrorBody } => {
  const body = (response.json() as { error: ErrorBody }).error;
  const info = body.details.find((d) => d.reason !== undefined);
  const fields = body.details.flatMap((d) => d.fieldViolations ?? []).map((v) => v.field);
  return { code: body.code, reason: info?.reason ?? '', message: body.message, fields, body };
};

/** Unlink every key under `prefix` (SCAN, never KEYS). */
export const unlinkPrefix = async (redis: Redis, prefix: string): Promise<void> => {
  await purgePrefix(redis, prefix);
};

/** An app on a fresh `test-<uuid>` prefix with admin, viewer, editor and other-project tokens. */
export const openTestApi = async (open: OpenTestApiOptions = {}): Promise<TestApi> => {
  const prefix = `test-${randomUUID()}`;
  const home = await mkdtemp(join(tmpdir(), 'stratus-api-'));
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_HOME: home,
    LOG_LEVEL: 'silent',
    ...open.env,
  });
  const redis = new Redis(TEST_REDIS_URL);
  const store = createJobStore({
    redis,
    prefix,
    limits: { followBlockMs: 300, ...open.limits },
  });
  const storage = open.storage ?? createStorage({ backend: 'local', root: config.bucketsRoot });
  const queues = createTrialQueues(redis, prefix);
  const adminToken = `admin-${randomUUID()}`;
  await store.tokens.ensureAdmin(adminToken);
  const grant = async (project: string, role: 'viewer' | 'editor'): Promise<string> =>
    (await store.tokens.create({ project, role, description: `test ${role}` })).token;
  const tokens: TestTokens = {
    admin: adminToken,
    viewer: await grant('demo', 'viewer'),
    editor: await grant('demo', 'editor'),
    otherEditor: await grant('other', 'editor'),
  };
  const app = buildApp({
    config,
    store,
    storage,
    redis: open.pingRedis ?? redis,
    queues,
    logger: open.logger ?? createApiLogger({ level: 'silent' }),
    ...(open.options === undefined ? {} : { options: open.options }),
    ...(open.dashboardDir === undefined ? {} : { dashboardDir: open.dashboardDir }),
  });
  await app.ready();
  return {
    app,
    store,
    storage,
    redis,
    queues,
    config,
    prefix,
    tokens,
    auth: (token) => ({ authorization: `Bearer ${token}` }),
    call: (method, url, init = {}) => {
      const headers: Record<string, string> = { ...init.headers };
      if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
      const body = init.body;
      return app.inject({
        method: method as 'GET',
        url,
        headers,
        ...(body === undefined
          ? {}
          : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
        ...(body !== undefined && typeof body !== 'string' && headers['content-type'] === undefined
          ? { headers: { ...headers, 'content-type': 'application/json' } }
          : {}),
      });
    },
    close: async () => {
      await app.close();
      await closeTrialQueues(queues);
      await unlinkPrefix(redis, prefix);
      await redis.quit();
      await storage.close();
      await rm(home, { recursive: true, force: true });
    },
  };
};

/** The Iris job of docs/api.md, without hyperparameters unless `tuning` is set. */
export const irisJob = (
  jobId: string,
  extra: {
    labels?: Record<string, string>;
    tuning?: boolean;
    gpu?: boolean;
    /** The bucket of its data and job dir (a bucket belongs to one project). @defaultValue 'demo' */
    bucket?: string;
  } = {},
): TrainingJobInput => {
  const { hyperparameters, ...trainingInput } = designExampleJob().trainingInput;
  const bucket = extra.bucket ?? 'demo';
  const algo = trainingInput.builtinAlgorithm;
  return {
    jobId,
    ...(extra.labels === undefined ? {} : { labels: extra.labels }),
    trainingInput: {
      ...trainingInput,
      ...(algo === undefined
        ? {}
        : { builtinAlgorithm: { ...algo, trainingData: `gs://${bucket}/data/iris.csv` } }),
      scaleTier: extra.gpu === true ? 'BASIC_GPU' : 'BASIC',
      jobDir: `gs://${bucket}/jobs/${jobId}`,
      ...(extra.tuning === true ? { hyperparameters } : {}),
    },
  };
};
