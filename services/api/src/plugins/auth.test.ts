import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, irisJob, openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi();
  const response = await t.call('POST', '/v1/projects/demo/jobs', {
    token: t.tokens.editor,
    body: irisJob('seen'),
  });
  expect(response.statusCode).toBe(200);
  // A finished job, so ?follow=true streams end at once.
  await t.store.jobs.transition('demo', 'seen', { from: ['QUEUED'], to: 'FAILED' });
  await t.store.models.create('demo', { name: 'seen_model' });
  const { operation } = await t.store.versions.create('demo', 'seen_model', deployment('v1'));
  seenOperation = operation.name.split('/').pop() ?? '';
});

let seenOperation = '';
const deployment = (name: string) => ({ name, deploymentUri: `gs://demo/models/${name}` });
afterAll(() => t.close());

type Caller = 'none' | 'bad' | 'viewer' | 'editor' | 'other' | 'admin';
const CALLERS: readonly Caller[] = ['none', 'bad', 'viewer', 'editor', 'other', 'admin'];

let serial = 0;
const unique = (stem: string): string => `${stem}_${++serial}`;

interface Row {
  /** Method and route template, as /openapi.json names the operation. */
  readonly operation: string;
  /** The concrete request (prepared per call: ids that each call needs fresh). */
  readonly request: () => Promise<{ url: string; body?: unknown }>;
  readonly expected: Readonly<Record<Caller, number>>;
  /** The reason of a 404 for another project's token. */
  readonly notFound?: string;
}

const PUBLIC = { none: 200, bad: 200, viewer: 200, editor: 200, other: 200, admin: 200 };
const ANY_TOKEN = { none: 401, bad: 401, viewer: 200, editor: 200, other: 200, admin: 200 };
const READ = { none: 401, bad: 401, viewer: 200, editor: 200, other: 404, admin: 200 };
const WRITE = { none: 401, bad: 401, viewer: 403, editor: 200, other: 404, admin: 200 };
const ADMIN = { none: 401, bad: 401, viewer: 403, editor: 403, other: 403, admin: 200 };

const get = (url: string) => async () => ({ url });
const freshJob = async (): Promise<string> => {
  const jobId = unique('victim');
  await t.store.jobs.create('demo', irisJob(jobId));
  return jobId;
};

/** A bucket project demo owns, fresh per call. */
const demoBucket = async (): Promise<string> => {
  const bucket = unique('bkt').replace('_', '-');
  await t.store.buckets.claim('demo', bucket);
  return bucket;
};

const ROWS: readonly Row[] = [
  { operation: 'GET /healthz', request: get('/healthz'), expected: PUBLIC },
  { operation: 'GET /readyz', request: get('/readyz'), expected: PUBLIC },
  { operation: 'GET /openapi.json', request: get('/openapi.json'), expected: PUBLIC },
  { operation: 'GET /docs', request: get('/docs'), expected: PUBLIC },
  { operation: 'GET /metrics', request: get('/metrics'), expected: ANY_TOKEN },
  { operation: 'GET /v1/workers', request: get('/v1/workers'), expected: ANY_TOKEN },
  {
    operation: 'POST /v1/projects/{project}/jobs',
    request: async () => ({ url: '/v1/projects/demo/jobs', body: irisJob(unique('matrix')) }),
    expected: WRITE,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/jobs',
    request: get('/v1/projects/demo/jobs'),
    expected: READ,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/jobs/{jobId}',
    request: get('/v1/projects/demo/jobs/seen'),
    expected: READ,
    notFound: 'JOB_NOT_FOUND',
  },
  {
    operation: 'POST /v1/projects/{project}/jobs/{jobId}:cancel',
    request: async () => ({ url: `/v1/projects/demo/jobs/${await freshJob()}:cancel`, body: {} }),
    expected: WRITE,
    notFound: 'JOB_NOT_FOUND',
  },
  {
    operation: 'PATCH /v1/projects/{project}/jobs/{jobId}',
    request: async () => ({
      url: `/v1/projects/demo/jobs/${await freshJob()}?updateMask=labels`,
      body: { labels: { a: 'b' } },
    }),
    expected: WRITE,
    notFound: 'JOB_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/jobs/{jobId}/logs',
    request: get('/v1/projects/demo/jobs/seen/logs'),
    expected: READ,
    notFound: 'JOB_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/jobs/{jobId}/logs?follow=true',
    request: get('/v1/projects/demo/jobs/seen/logs?follow=true'),
    expected: READ,
    notFound: 'JOB_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/jobs/{jobId}/metrics',
    request: get('/v1/projects/demo/jobs/seen/metrics'),
    expected: READ,
    notFound: 'JOB_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/jobs/{jobId}/metrics?follow=true',
    request: get('/v1/projects/demo/jobs/seen/metrics?follow=true'),
    expected: READ,
    notFound: 'JOB_NOT_FOUND',
  },
  {
    operation: 'POST /v1/projects/{project}/models',
    request: async () => ({ url: '/v1/projects/demo/models', body: { name: unique('model') } }),
    expected: WRITE,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/models',
    request: get('/v1/projects/demo/models'),
    expected: READ,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/models/{model}',
    request: get('/v1/projects/demo/models/seen_model'),
    expected: READ,
    notFound: 'MODEL_NOT_FOUND',
  },
  {
    operation: 'DELETE /v1/projects/{project}/models/{model}',
    request: async () => {
      const name = unique('doomed');
      await t.store.models.create('demo', { name });
      return { url: `/v1/projects/demo/models/${name}` };
    },
    expected: WRITE,
    notFound: 'MODEL_NOT_FOUND',
  },
  {
    operation: 'PATCH /v1/projects/{project}/models/{model}',
    request: async () => ({
      url: '/v1/projects/demo/models/seen_model?updateMask=description',
      body: { description: unique('described') },
    }),
    expected: WRITE,
    notFound: 'MODEL_NOT_FOUND',
  },
  {
    operation: 'POST /v1/projects/{project}/models/{model}/versions',
    request: async () => ({
      url: '/v1/projects/demo/models/seen_model/versions',
      body: deployment(unique('v')),
    }),
    expected: WRITE,
    notFound: 'MODEL_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/models/{model}/versions',
    request: get('/v1/projects/demo/models/seen_model/versions'),
    expected: READ,
    notFound: 'MODEL_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/models/{model}/versions/{version}',
    request: get('/v1/projects/demo/models/seen_model/versions/v1'),
    expected: READ,
    notFound: 'VERSION_NOT_FOUND',
  },
  {
    // seen_model/v1 has no stratus.json in the bucket: a raw signature, 200.
    operation: 'GET /v1/projects/{project}/models/{model}/versions/{version}/signature',
    request: get('/v1/projects/demo/models/seen_model/versions/v1/signature'),
    expected: READ,
    notFound: 'VERSION_NOT_FOUND',
  },
  {
    operation: 'DELETE /v1/projects/{project}/models/{model}/versions/{version}',
    request: async () => {
      const name = unique('gone');
      await t.store.versions.create('demo', 'seen_model', deployment(name));
      return { url: `/v1/projects/demo/models/seen_model/versions/${name}` };
    },
    expected: WRITE,
    notFound: 'VERSION_NOT_FOUND',
  },
  {
    operation: 'PATCH /v1/projects/{project}/models/{model}/versions/{version}',
    request: async () => ({
      url: '/v1/projects/demo/models/seen_model/versions/v1?updateMask=labels',
      body: { labels: { a: unique('b') } },
    }),
    expected: WRITE,
    notFound: 'VERSION_NOT_FOUND',
  },
  {
    operation: 'POST /v1/projects/{project}/models/{model}/versions/{version}:setDefault',
    request: async () => {
      const name = unique('next');
      await t.store.versions.create('demo', 'seen_model', deployment(name));
      await t.store.versions.finish('demo', 'seen_model', name, { state: 'READY' });
      return { url: `/v1/projects/demo/models/seen_model/versions/${name}:setDefault`, body: {} };
    },
    expected: WRITE,
    notFound: 'VERSION_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/operations',
    request: get('/v1/projects/demo/operations'),
    expected: READ,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/operations/{operation}',
    request: async () => ({ url: `/v1/projects/demo/operations/${seenOperation}` }),
    expected: READ,
    notFound: 'OPERATION_NOT_FOUND',
  },
  {
    operation: 'POST /v1/projects/{project}/operations/{operation}:cancel',
    request: async () => {
      const { operation } = await t.store.versions.create(
        'demo',
        'seen_model',
        deployment(unique('cancelled')),
      );
      return { url: `/v1/${operation.name}:cancel`, body: {} };
    },
    expected: WRITE,
    notFound: 'OPERATION_NOT_FOUND',
  },
  {
    operation: 'POST /v1/projects/{project}/buckets',
    request: async () => ({
      url: '/v1/projects/demo/buckets',
      body: { name: unique('bkt').replace('_', '-') },
    }),
    expected: WRITE,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'GET /v1/projects/{project}/buckets',
    request: get('/v1/projects/demo/buckets'),
    expected: READ,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'DELETE /v1/projects/{project}/buckets/{bucket}',
    request: async () => ({ url: `/v1/projects/demo/buckets/${await demoBucket()}` }),
    expected: WRITE,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'POST /v1/projects/{project}/buckets/{bucket}:grant',
    request: async () => ({
      url: `/v1/projects/demo/buckets/${await demoBucket()}:grant`,
      body: { project: 'other', role: 'READER' },
    }),
    expected: WRITE,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'POST /v1/projects/{project}/buckets/{bucket}:revoke',
    request: async () => ({
      url: `/v1/projects/demo/buckets/${await demoBucket()}:revoke`,
      body: { project: 'other' },
    }),
    expected: WRITE,
    notFound: 'PROJECT_NOT_FOUND',
  },
  {
    operation: 'POST /v1/tokens',
    request: async () => ({ url: '/v1/tokens', body: { project: 'demo', role: 'viewer' } }),
    expected: ADMIN,
  },
  { operation: 'GET /v1/tokens', request: get('/v1/tokens'), expected: ADMIN },
  {
    operation: 'DELETE /v1/tokens/{tokenId}',
    request: async () => {
      const { info } = await t.store.tokens.create({ project: 'demo', role: 'viewer' });
      return { url: `/v1/tokens/${info.tokenId}` };
    },
    expected: ADMIN,
  },
];

const tokenOf = (caller: Caller): string | undefined => {
  switch (caller) {
    case 'none':
      return undefined;
    case 'bad':
      return 'stratus_not-a-real-token';
    case 'other':
      return t.tokens.otherEditor;
    default:
      return t.tokens[caller];
  }
};

const methodOf = (operation: string): string => operation.split(' ')[0] ?? 'GET';

describe('auth matrix: every route × every kind of caller', () => {
  it('covers every operation of /openapi.json', async () => {
    const doc = (await t.call('GET', '/openapi.json')).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const rows = new Set(ROWS.map((row) => row.operation.split('?')[0]));
    expect([...documented].sort()).toEqual([...rows].filter((op) => op !== 'GET /docs').sort());
  });

  const cases = ROWS.flatMap((row) =>
    CALLERS.map((caller) => [row.operation, caller, row.expected[caller], row] as const),
  );
  it.each(cases)('%s as %s → %i', async (operation, caller, status, row) => {
    const { url, body } = await row.request();
    const token = tokenOf(caller);
    const response = await t.call(methodOf(operation), url, {
      ...(token === undefined ? {} : { token }),
      ...(body === undefined ? {} : { body }),
    });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
    if (status === 401) {
      expect(errorOf(response).reason).toBe('UNAUTHENTICATED');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="stratus"');
    }
    if (status === 403) expect(errorOf(response).reason).toBe('PERMISSION_DENIED');
    if (status === 404) expect(errorOf(response).reason).toBe(row.notFound);
  });
});

describe('tokens', () => {
  it('creates a token whose secret works once shown, lists it without secrets, and revokes it', async () => {
    const created = await t.call('POST', '/v1/tokens', {
      token: t.tokens.admin,
      body: { project: 'demo', role: 'editor', description: 'ci' },
    });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const grant = created.json() as { token: string; tokenId: string; role: string };
    expect(grant).toMatchObject({ project: 'demo', role: 'editor', description: 'ci' });
    expect(grant.token).toMatch(/^stratus_/);
    const listed = (await t.call('GET', '/v1/tokens', { token: t.tokens.admin })).body;
    expect(listed).toContain(grant.tokenId);
    expect(listed).not.toContain(grant.token);
    const use = () => t.call('GET', '/v1/projects/demo/jobs', { token: grant.token });
    expect((await use()).statusCode).toBe(200);
    const revoked = await t.call('DELETE', `/v1/tokens/${grant.tokenId}`, {
      token: t.tokens.admin,
    });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({});
    const after = await use();
    expect(after.statusCode).toBe(401);
    expect(errorOf(after).message).toBe(
      'Request is not authenticated: the bearer token is unknown or revoked',
    );
    const again = await t.call('DELETE', `/v1/tokens/${grant.tokenId}`, { token: t.tokens.admin });
    expect(again.statusCode).toBe(404);
    expect(errorOf(again).reason).toBe('TOKEN_NOT_FOUND');
  });

  it('drops a cached token at once when another server revokes it', async () => {
    const { token, info } = await t.store.tokens.create({ project: 'demo', role: 'viewer' });
    const use = () => t.call('GET', '/v1/projects/demo/jobs', { token });
    expect((await use()).statusCode).toBe(200);
    // Revoked in Redis directly, as another API replica would: only the event tells this one.
    await t.store.tokens.revoke(info.tokenId);
    await expect.poll(async () => (await use()).statusCode, { timeout: 2000 }).toBe(401);
  });

  it('is 400 naming the field for a bad grant', async () => {
    const badRole = await t.call('POST', '/v1/tokens', {
      token: t.tokens.admin,
      body: { project: 'demo', role: 'owner' },
    });
    expect(badRole.statusCode).toBe(400);
    expect(errorOf(badRole).fields).toEqual(['role']);
    const badProject = await t.call('POST', '/v1/tokens', {
      token: t.tokens.admin,
      body: { project: 'Not A Project', role: 'viewer' },
    });
    expect(badProject.statusCode).toBe(400);
    expect(errorOf(badProject).message).toBe(
      'token project "Not A Project" must be a project id or *',
    );
  });

  it('lets a project admin run its project but not manage tokens', async () => {
    const { token } = await t.store.tokens.create({ project: 'demo', role: 'admin' });
    const cancel = await t.call('POST', `/v1/projects/demo/jobs/${await freshJob()}:cancel`, {
      token,
    });
    expect(cancel.statusCode).toBe(200);
    const tokens = await t.call('GET', '/v1/tokens', { token });
    expect(tokens.statusCode).toBe(403);
    expect(errorOf(tokens).message).toBe(
      'Permission denied: GET /v1/tokens needs an admin token for every project (*), not one for demo',
    );
  });

  it('accepts the scheme in any case and refuses other schemes', async () => {
    const lower = await t.call('GET', '/v1/workers', {
      headers: { authorization: `bearer ${t.tokens.viewer}` },
    });
    expect(lower.statusCode).toBe(200);
    const basic = await t.call('GET', '/v1/workers', {
      headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
    });
    expect(basic.statusCode).toBe(401);
  });
});

describe('rate limit on writes', () => {
  it('gives each token its own budget, shared by all write routes, then 429 with Retry-After', async () => {
    const limited = await openTestApi({
      options: { writeRateLimit: 3, rateLimitWindowMs: 60_000 },
    });
    try {
      const write = (token: string, jobId: string) =>
        limited.call('POST', '/v1/projects/demo/jobs', { token, body: irisJob(jobId) });
      expect((await write(limited.tokens.editor, 'rl_1')).statusCode).toBe(200);
      const cancel = await limited.call('POST', '/v1/projects/demo/jobs/rl_1:cancel', {
        token: limited.tokens.editor,
      });
      expect(cancel.statusCode).toBe(200);
      expect((await write(limited.tokens.editor, 'rl_2')).statusCode).toBe(200);
      const refused = await write(limited.tokens.editor, 'rl_3');
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(errorOf(refused)).toMatchObject({
        reason: 'RATE_LIMITED',
        body: { status: 'RESOURCE_EXHAUSTED' },
      });
      expect(errorOf(refused).message).toContain('at most 3 write requests per 60 s per token');
      expect(await limited.store.jobs.find('demo', 'rl_3')).toBeUndefined();
      // Reads are not limited; another token has its own budget.
      const read = await limited.call('GET', '/v1/projects/demo/jobs', {
        token: limited.tokens.editor,
      });
      expect(read.statusCode).toBe(200);
      expect((await write(limited.tokens.admin, 'rl_4')).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
