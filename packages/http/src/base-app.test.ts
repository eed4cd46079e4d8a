import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@stratus/config';
import { createStorage, type Storage } from '@stratus/storage';
import { createJobStore, purgePrefix } from '@stratus/store';
import { createBaseApp } from './base-app.js';
import { healthRoutes } from './health-routes.js';
import { DEFAULT_HTTP_OPTIONS } from './http-options.js';
import { listenApp } from './listen.js';
import { createApiLogger } from './logger.js';
import { responses } from './shared-schemas.js';

// The Redis URL as every server reads it (REDIS_URL, else its one default in @stratus/config).
const { redisUrl } = loadConfig({ REDIS_URL: process.env.REDIS_URL });
const prefix = `test-${randomUUID()}`;
const BODY_LIMIT = 64;

let redis: Redis;
let storage: Storage;
let storageRoot: string;
let app: FastifyInstance;
let viewer: string;
let otherViewer: string;

/** A server on createBaseApp: the health routes, one read route and one write route. */
const build = (): FastifyInstance => {
  const built = createBaseApp({
    logger: createApiLogger({ level: 'silent' }),
    bodyLimit: BODY_LIMIT,
    store: createJobStore({ redis, prefix }),
  });
  void built.register(healthRoutes, { redis, storage, options: DEFAULT_HTTP_OPTIONS });
  // Routes go in a plugin, registered after the base app's own (its onRoute hooks see them).
  void built.register(async (scope) => {
    scope.get(
      '/v1/projects/:project/things/:thing',
      {
        config: { access: 'viewer' },
        schema: {
          params: Type.Object({ project: Type.String(), thing: Type.String() }),
          response: responses({ 200: Type.Object({ thing: Type.String() }) }),
        },
      },
      async (request) => ({ thing: (request.params as { thing: string }).thing }),
    );
    scope.post(
      '/v1/projects/:project/things',
      {
        config: { access: 'viewer' },
        schema: {
          body: Type.Object({ count: Type.Integer() }, { additionalProperties: false }),
        },
      },
      async (request) => request.body,
    );
  });
  return built;
};

beforeAll(async () => {
  redis = new Redis(redisUrl);
  storageRoot = await mkdtemp(join(tmpdir(), 'stratus-http-'));
  storage = createStorage({ backend: 'local', root: storageRoot });
  const store = createJobStore({ redis, prefix });
  viewer = (await store.tokens.create({ project: 'demo', role: 'viewer' })).token;
  otherViewer = (await store.tokens.create({ project: 'other', role: 'viewer' })).token;
  app = build();
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await storage.close();
  await purgePrefix(redis, prefix);
  await redis.quit();
  await rm(storageRoot, { recursive: true, force: true });
});

const reasonOf = (body: string): unknown =>
  (JSON.parse(body) as { error: { details: { reason?: string }[] } }).error.details[0]?.reason;

describe('createBaseApp', () => {
  it('serves /healthz and /readyz without a token, with a request id', async () => {
    const health = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'probe-1' } });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    expect(health.headers['x-request-id']).toBe('probe-1');
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { redis: 'ok', storage: 'ok' } });
  });

  it('asks for a bearer token, admits the project, hides other projects', async () => {
    const url = '/v1/projects/demo/things/a1';
    const none = await app.inject({ url });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="stratus"');
    expect(reasonOf(none.body)).toBe('UNAUTHENTICATED');
    const mine = await app.inject({ url, headers: { authorization: `Bearer ${viewer}` } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual({ thing: 'a1' });
    const other = await app.inject({ url, headers: { authorization: `Bearer ${otherViewer}` } });
    expect(other.statusCode).toBe(404);
    expect(reasonOf(other.body)).toBe('PROJECT_NOT_FOUND');
  });

  it('answers bad bodies with the Google error shape naming the problem', async () => {
    const post = (payload: string, contentType = 'application/json') =>
      app.inject({
        method: 'POST',
        url: '/v1/projects/demo/things',
        headers: { authorization: `Bearer ${viewer}`, 'content-type': contentType },
        payload,
      });
    const ok = await post('{"count": 3}');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ count: 3 });

    const invalid = await post('{"count": "three"}');
    expect(invalid.statusCode).toBe(400);
    const error = (
      invalid.json() as {
        error: { status: string; details: { fieldViolations?: { field: string }[] }[] };
      }
    ).error;
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.details.flatMap((detail) => detail.fieldViolations ?? [])).toEqual([
      expect.objectContaining({ field: 'count' }),
    ]);

    const malformed = await post('{"count": ');
    expect(malformed.statusCode).toBe(400);
    expect(reasonOf(malformed.body)).toBe('INVALID_JSON');

    const text = await post('count=3', 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(reasonOf(text.body)).toBe('UNSUPPORTED_MEDIA_TYPE');

    const large = await post(JSON.stringify({ count: 1, pad: 'x'.repeat(BODY_LIMIT) }));
    expect(large.statusCode).toBe(413);
    expect(reasonOf(large.body)).toBe('PAYLOAD_TOO_LARGE');
  });

  it('tells an unknown route (404) from a known path with another method (405)', async () => {
    const unknown = await app.inject({ url: '/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(reasonOf(unknown.body)).toBe('ROUTE_NOT_FOUND');
    const wrong = await app.inject({ method: 'DELETE', url: '/v1/projects/demo/things' });
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect(reasonOf(wrong.body)).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('listenApp', () => {
  it('listens on the port given (0: any), and releases after the app closes', async () => {
    const released: string[] = [];
    const server = await listenApp(
      { host: '127.0.0.1', port: 0 },
      async () => build(),
      async () => {
        released.push('released');
      },
    );
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    await server.close();
    expect(released).toEqual(['released']);
  });

  it('releases at once and rethrows when the app cannot be built', async () => {
    const released: string[] = [];
    const failure = listenApp(
      { host: '127.0.0.1', port: 0 },
      async () => {
        throw new Error('no app today');
      },
      async () => {
        released.push('released');
      },
    );
    await expect(failure).rejects.toThrow('no app today');
    expect(released).toEqual(['released']);
  });
});
