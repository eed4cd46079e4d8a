import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type PredictorConfig, type StratusConfig } from '@stratus/config';
import { createApiLogger, createBaseApp, DEFAULT_HTTP_OPTIONS, openApiPlugin } from '@stratus/http';
import type { Batching, Version } from '@stratus/spec';
import { createJobStore, purgePrefix, type JobStore } from '@stratus/store';
import { trialFixture, type TrialFixture } from '@stratus/trainer/testing';
import type { Executor } from './executor/executor.js';
import { predictorPlugin } from './plugin.js';
import { Predictor } from './predictor.js';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

export interface Tokens {
  readonly admin: string;
  readonly editor: string;
  readonly viewer: string;
  /** An editor of project `other`. */
  readonly otherEditor: string;
}

export interface HttpReply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A server running the predictor plugin, listening on 127.0.0.1. */
export interface TestServer {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly predictor: Predictor;
  call<T = unknown>(
    method: string,
    path: string,
    init?: { token?: string; body?: unknown },
  ): Promise<HttpReply<T>>;
  close(): Promise<void>;
}

/** The app a test server mounts the predictor in, and what to release with it. */
export interface TestApp {
  readonly app: FastifyInstance;
  close?(): Promise<void>;
}

/**
 * Builds a test server's app around `predictor`. The default is the standalone predictor's app
 * (the base app of `@stratus/http`, its OpenAPI document and the predictor plugin, as
 * `startPredictorServer` builds it); tests/ mount the predictor in the API instead.
 */
export type TestAppFactory = (predictor: Predictor, fixture: PredictorFixture) => TestApp;

/** The standalone predictor's app, without its health and /metrics routes. */
export const predictorApp: TestAppFactory = (predictor, fixture) => {
  const app = createBaseApp({
    logger: createApiLogger({ level: 'silent' }),
    bodyLimit: DEFAULT_HTTP_OPTIONS.bodyLimit,
    store: fixture.store,
    tokenCacheMs: DEFAULT_HTTP_OPTIONS.tokenCacheMs,
  });
  void app.register(openApiPlugin, { version: 'test' });
  void app.register(predictorPlugin({ predictor }), {
    config: fixture.config,
    store: fixture.store,
    storage: fixture.trial.storage,
  });
  return { app };
};

export interface PredictorFixture {
  readonly trial: TrialFixture;
  readonly config: Readonly<StratusConfig>;
  readonly redis: Redis;
  readonly store: JobStore;
  readonly prefix: string;
  readonly tokens: Tokens;
  /** Config for a server of its own (API or standalone predictor) on this prefix and bucket, port 0. */
  serverConfig(threads: number): Readonly<StratusConfig>;
  /**
   * Start a server; `limits` override config.predictor (threads 0 by default:
   * inline), `executor` replaces the one the predictor would make, `mount`
   * builds the app (@defaultValue predictorApp).
   */
  serve(
    limits?: Partial<PredictorConfig>,
    executor?: Executor,
    mount?: TestAppFactory,
  ): Promise<TestServer>;
  /** Create the model if needed and a version of it; resolves once it is READY or FAILED. */
  deploy(model: string, version: string, uri: string, batching?: Batching): Promise<Version>;
  waitForVersion(model: string, version: string, timeoutMs?: number): Promise<Version>;
  close(): Promise<void>;
}

/** A JSON HTTP call with an optional bearer token. */
export const httpCall = async <T>(
  url: string,
  method: string,
  init: { token?: string; body?: unknown } = {},
): Promise<HttpReply<T>> => {
  const headers: Record<string, string> = {};
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method,
    headers,
    ...(init.body === undefined
      ? {}
      : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
    headers: response.headers,
  };
};

/** A server's /metrics scrape as `{"name{labels}": value}` (comments dropped). */
export const scrapeMetrics = async (url: string, token: string): Promise<Map<string, number>> => {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
};

/** A local bucket (Iris in it), a store on a test prefix with tokens, and servers on demand. */
export const openPredictorFixture = async (): Promise<PredictorFixture> => {
  const trial = await trialFixture();
  const prefix = `test-${randomUUID()}`;
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_HOME: trial.root,
    STRATUS_TFJS_BACKEND: 'wasm',
    LOG_LEVEL: 'silent',
  });
  const redis = new Redis(TEST_REDIS_URL);
  const store = createJobStore({ redis, prefix });
  const admin = `admin-${randomUUID()}`;
  await store.tokens.ensureAdmin(admin);
  const grant = async (project: string, role: 'viewer' | 'editor') =>
    (await store.tokens.create({ project, role })).token;
  const tokens: Tokens = {
    admin,
    editor: await grant(config.defaultProject, 'editor'),
    viewer: await grant(config.defaultProject, 'viewer'),
    otherEditor: await grant('other', 'editor'),
  };
  const servers: TestServer[] = [];

  const waitForVersion = async (model: string, version: string, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await store.versions.get(config.defaultProject, model, version);
      if (found.state !== 'CREATING' || Date.now() > deadline) return found;
      await sleep(50);
    }
  };

  const fixture: PredictorFixture = {
    trial,
    config,
    redis,
    store,
    prefix,
    tokens,
    waitForVersion,
    serverConfig: (threads) =>
      loadConfig({
        REDIS_URL: TEST_REDIS_URL,
        STRATUS_REDIS_PREFIX: prefix,
        STRATUS_HOME: trial.root,
        STRATUS_PORT: '0',
        STRATUS_TFJS_BACKEND: 'wasm',
        STRATUS_PREDICTOR_THREADS: String(threads),
        LOG_LEVEL: 'silent',
      }),
    serve: async (limits = {}, executor, mount = predictorApp) => {
      const predictor = new Predictor({
        config,
        store,
        storage: trial.storage,
        limits: { threads: 0, ...limits },
        ...(executor === undefined ? {} : { executor }),
      });
      await predictor.start();
      const { app, close } = mount(predictor, fixture);
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      let closed = false;
      const server: TestServer = {
        app,
        url,
        predictor,
        call: (method, path, init) => httpCall(`${url}${path}`, method, init),
        close: async () => {
          if (closed) return;
          closed = true;
          await app.close();
          await predictor.close();
          await close?.();
        },
      };
      servers.push(server);
      return server;
    },
    deploy: async (model, version, uri, batching) => {
      const project = config.defaultProject;
      if ((await store.models.find(project, model)) === undefined) {
        await store.models.create(project, { name: model });
      }
      await store.versions.create(project, model, {
        name: version,
        deploymentUri: uri,
        ...(batching === undefined ? {} : { batching }),
      });
      return waitForVersion(model, version);
    },
    close: async () => {
      for (const server of servers.splice(0)) await server.close();
      await purgePrefix(redis, prefix);
      await redis.quit();
      await trial.cleanup();
    },
  };
  return fixture;
};
