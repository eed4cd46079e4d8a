import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  JobSchema,
  ListJobsResponseSchema,
  ListTokensResponseSchema,
  ListWorkersResponseSchema,
  schemaViolations,
} from '@stratus/spec';
import { createStorage } from '@stratus/storage';
import { createJobStore } from '@stratus/store';
import { createApiLogger } from '@stratus/http';
import { errorOf, irisJob, openTestApi, type TestApi } from '../api.test-support.js';
import { buildApp } from '../app.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi();
  for (const jobId of ['ops_1', 'ops_2']) {
    const response = await t.call('POST', '/v1/projects/demo/jobs', {
      token: t.tokens.editor,
      body: irisJob(jobId),
    });
    expect(response.statusCode).toBe(200);
  }
  await t.call('POST', '/v1/projects/demo/jobs/ops_2:cancel', { token: t.tokens.editor });
});
afterAll(() => t.close());

/** A Redis client that can never connect (nothing listens on port 1). */
const deadRedis = (): Redis => {
  const redis = new Redis('redis://127.0.0.1:1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // expected: nothing listens there
  return redis;
};

describe('/healthz and /readyz', () => {
  it('answer 200 without a token when Redis and storage are up', async () => {
    expect((await t.call('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.call('GET', '/readyz')).json()).toEqual({
      status: 'ok',
      checks: { redis: 'ok', storage: 'ok' },
    });
  });

  it('is 503 naming Redis when it does not answer, while /healthz stays 200', async () => {
    const dead = deadRedis();
    const down = await openTestApi({ pingRedis: dead });
    try {
      expect((await down.call('GET', '/healthz')).statusCode).toBe(200);
      const response = await down.call('GET', '/readyz');
      expect(response.statusCode).toBe(503);
      const error = errorOf(response);
      expect(error.reason).toBe('NOT_READY');
      expect(error.message).toMatch(/^Not ready: redis: /);
      expect(error.body.details[0]?.metadata).toMatchObject({ storage: 'ok' });
      expect(error.body.details[0]?.metadata?.redis).not.toBe('ok');
    } finally {
      await down.close();
      dead.disconnect();
    }
  });

  it('is 503 naming storage when it does not answer', async () => {
    const unreachable = createStorage({
      backend: 'gcs',
      projectId: 'stratus-test',
      emulatorHost: 'http://127.0.0.1:1',
    });
    const down = await openTestApi({ storage: unreachable, options: { readinessTimeoutMs: 300 } });
    try {
      const response = await down.call('GET', '/readyz');
      expect(response.statusCode).toBe(503);
      const error = errorOf(response);
      expect(error.message).toMatch(/^Not ready: storage: /);
      expect(error.body.details[0]?.metadata).toMatchObject({ redis: 'ok' });
    } finally {
      await down.close();
    }
  });
});

describe('/metrics', () => {
  it('exposes HTTP latency by route template, jobs by state and queue depths', async () => {
    await t.call('GET', '/v1/projects/demo/jobs/ops_1', { token: t.tokens.viewer });
    const response = await t.call('GET', '/metrics', { token: t.tokens.viewer });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = response.body;
    expect(text).toContain('# TYPE stratus_http_request_duration_seconds histogram');
    expect(text).toMatch(
      /stratus_http_request_duration_seconds_count\{method="GET",route="\/v1\/projects\/:project\/jobs\/:jobId",status_code="200"\} 1\n/,
    );
    expect(text).toMatch(
      /stratus_http_request_duration_seconds_count\{method="POST",route="\/v1\/projects\/:project\/jobs",status_code="200"\} 2\n/,
    );
    expect(text).not.toContain('route="/v1/projects/demo');
    expect(text).toContain('stratus_jobs{project="demo",state="QUEUED"} 1\n');
    expect(text).toContain('stratus_jobs{project="demo",state="CANCELLED"} 1\n');
    expect(text).toContain('stratus_jobs{project="demo",state="RUNNING"} 0\n');
    expect(text).toContain('stratus_queue_trials{queue="cpu",state="waiting"} 1\n');
    expect(text).toContain('stratus_queue_trials{queue="gpu",state="waiting"} 0\n');
    expect(text).toContain('stratus_workers{queue="cpu"} 0\n');
    expect(text).toContain('stratus_api_process_cpu_user_seconds_total');
  });
});

describe('/openapi.json and /docs', () => {
  interface Operation {
    responses: Record<string, unknown>;
    security?: unknown[];
  }

  it('documents every route with its 2xx body and the Google error shape', async () => {
    const doc = (await t.call('GET', '/openapi.json')).json() as {
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/readyz',
      '/v1/projects/{project}/buckets',
      '/v1/projects/{project}/buckets/{bucket}',
      '/v1/projects/{project}/buckets/{bucket}:grant',
      '/v1/projects/{project}/buckets/{bucket}:revoke',
      '/v1/projects/{project}/jobs',
      '/v1/projects/{project}/jobs/{jobId}',
      '/v1/projects/{project}/jobs/{jobId}/logs',
      '/v1/projects/{project}/jobs/{jobId}/metrics',
      '/v1/projects/{project}/jobs/{jobId}:cancel',
      '/v1/projects/{project}/models',
      '/v1/projects/{project}/models/{model}',
      '/v1/projects/{project}/models/{model}/versions',
      '/v1/projects/{project}/models/{model}/versions/{version}',
      '/v1/projects/{project}/models/{model}/versions/{version}/signature',
      '/v1/projects/{project}/models/{model}/versions/{version}:setDefault',
      '/v1/projects/{project}/operations',
      '/v1/projects/{project}/operations/{operation}',
      '/v1/projects/{project}/operations/{operation}:cancel',
      '/v1/tokens',
      '/v1/tokens/{tokenId}',
      '/v1/workers',
    ]);
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const codes = Object.keys(operation.responses);
        expect(codes, `${method} ${path}`).toContain('200');
        expect(codes, `${method} ${path}`).toContain('4XX');
      }
    }
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Job',
        'JobInput',
        'ListJobsResponse',
        'GoogleError',
        'Token',
        'Model',
        'Version',
        'Operation',
        'ListOperationsResponse',
      ]),
    );
    expect(doc.components.securitySchemes).toEqual({ bearer: { type: 'http', scheme: 'bearer' } });
    const create = doc.paths['/v1/projects/{project}/jobs']?.post as unknown as {
      requestBody: { content: { 'application/json': { schema: { $ref: string } } } };
    };
    expect(create.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/JobInput',
    );
    expect(doc.paths['/healthz']?.get?.security).toEqual([]);
    expect(doc.paths['/v1/workers']?.get?.security).toBeUndefined();
  });

  it('serves Swagger UI and its bundled assets (offline)', async () => {
    const page = await t.call('GET', '/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    const bundle = await t.call('GET', '/docs/static/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
    expect(bundle.body.length).toBeGreaterThan(100_000);
  });
});

describe('responses match their schemas', () => {
  it.each([
    ['/v1/projects/demo/jobs/ops_1', JobSchema],
    ['/v1/projects/demo/jobs', ListJobsResponseSchema],
    ['/v1/workers', ListWorkersResponseSchema],
    ['/v1/tokens', ListTokensResponseSchema],
  ])('GET %s', async (url, schema) => {
    const response = await t.call('GET', url, { token: t.tokens.admin });
    expect(response.statusCode).toBe(200);
    expect(schemaViolations(schema, response.json())).toEqual([]);
  });
});

describe('server faults', () => {
  it('are a 500 in the Google shape quoting the request id, not a crash', async () => {
    const dead = deadRedis();
    const broken = await openTestApi();
    // Tokens are set up on the live store; this app's store talks to a dead connection.
    const app = buildApp({
      config: broken.config,
      store: createJobStore({ redis: dead, prefix: broken.prefix }),
      storage: broken.storage,
      redis: dead,
      queues: broken.queues,
      logger: createApiLogger({ level: 'silent' }),
    });
    try {
      const response = await app.inject({
        url: '/v1/workers',
        headers: { authorization: `Bearer ${broken.tokens.viewer}`, 'x-request-id': 'req-500' },
      });
      expect(response.statusCode).toBe(500);
      expect(errorOf(response)).toMatchObject({
        reason: 'INTERNAL',
        message: 'Internal error: request req-500 failed',
      });
    } finally {
      await app.close();
      await broken.close();
      dead.disconnect();
    }
  });
});
