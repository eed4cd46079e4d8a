/**
 * Request size and write rate limits on every route that takes them (issue 10,
 * security), in the all-in-one app. Existing tests cover POST jobs (413) and
 * Cloud ML :predict (413) one by one and the shared write budget on jobs and
 * :cancel (429); this sweeps every body-taking route for 413 and every write
 * route for 429 with Retry-After, and checks that a refused write stored nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleJob, openFuzzApp, SEED, type FuzzApp } from './support/fuzz-app.js';

let f: FuzzApp;
beforeAll(async () => {
  f = await openFuzzApp({ options: { writeRateLimit: 2, rateLimitWindowMs: 60_000 } });
}, 120_000);
afterAll(() => f?.close());

const errorOf = (body: string) =>
  (JSON.parse(body) as { error: { status: string; message: string } }).error;

describe('request size', () => {
  it('is 413 beyond 1.5 MiB on every route that takes a body', async () => {
    const p = `/v1/projects/${f.project}`;
    const m = SEED.model;
    const v = SEED.rawVersion;
    // 1.6 MB of valid JSON: the limit, not the parser, must refuse it.
    const big = JSON.stringify({ instances: [[1, 2]], pad: 'x'.repeat(1_600_000) });
    const routes = [
      `${p}/jobs`,
      `${p}/jobs/${SEED.job}:cancel`,
      `${p}/models`,
      `${p}/models/${m}/versions`,
      `${p}/models/${m}/versions/${v}:setDefault`,
      `${p}/models/${m}:predict`,
      `${p}/models/${m}/versions/${v}:predict`,
      `/v1/models/${m}:predict`,
      `/v1/models/${m}/versions/${v}:predict`,
      `/v1/models/${m}:classify`,
      `/v1/models/${m}:regress`,
      `/v2/models/${m}/infer`,
      `/v2/models/${m}/versions/${v}/infer`,
      '/v1/tokens',
    ];
    for (const url of routes) {
      // A token per request: the write budget (2 here) is spent before the body is read.
      const { token } = await f.store.tokens.create({ project: '*', role: 'admin' });
      const reply = await f.inject('POST', url, {
        token,
        body: big,
        contentType: 'application/json',
      });
      expect([url, reply.statusCode]).toEqual([url, 413]);
      // Cloud ML paths answer in the Google shape; TF Serving and KServe in their own.
      const google = url.startsWith('/v1/projects/') || url === '/v1/tokens';
      expect(google ? errorOf(reply.body).message : reply.json()).toEqual(
        google ? 'Request body exceeds 1572864 bytes' : { error: 'Request body is too large' },
      );
    }
    // Just under the limit is parsed (and refused for what it says, not its size).
    const under = await f.inject('POST', `${p}/models/${m}/versions/${v}:predict`, {
      token: f.tokens.editor,
      body: JSON.stringify({ instances: [[1, 2]], pad: 'x'.repeat(1_500_000) }),
      contentType: 'application/json',
    });
    expect(under.statusCode).toBe(400);
  });
});

describe('write rate limit', () => {
  it('answers 429 with Retry-After on every write route once a token spent its budget, storing nothing', async () => {
    const p = `/v1/projects/${f.project}`;
    const json = 'application/json';
    const writes: [string, string, string | undefined][] = [
      ['POST', `${p}/jobs`, JSON.stringify(exampleJob('limited_job'))],
      ['POST', `${p}/jobs/${SEED.job}:cancel`, undefined],
      ['POST', `${p}/models`, JSON.stringify({ name: 'limited_model' })],
      ['DELETE', `${p}/models/${SEED.model}`, undefined],
      [
        'POST',
        `${p}/models/${SEED.model}/versions`,
        JSON.stringify({ name: 'limited', deploymentUri: SEED.rawUri }),
      ],
      ['DELETE', `${p}/models/${SEED.model}/versions/${SEED.rawVersion}`, undefined],
      ['POST', `${p}/models/${SEED.model}/versions/${SEED.rawVersion}:setDefault`, undefined],
      ['POST', '/v1/tokens', JSON.stringify({ project: f.project, role: 'viewer' })],
      ['DELETE', '/v1/tokens/0123456789abcdef', undefined],
    ];
    // A fresh admin token with a budget of 2: spend it on reads-that-write nothing.
    const minted = await f.store.tokens.create({ project: '*', role: 'admin' });
    const token = minted.token;
    for (let i = 0; i < 2; i += 1) {
      const spent = await f.inject('POST', `${p}/jobs/no_such_job:cancel`, { token });
      expect(spent.statusCode).toBe(404);
    }
    const before = JSON.stringify([
      await f.store.jobs.find(f.project, SEED.job),
      await f.store.models.find(f.project, SEED.model),
      (await f.store.versions.list(f.project, SEED.model)).versions.map((x) => [
        x.name,
        x.isDefault,
        x.state,
      ]),
      (await f.store.tokens.list()).length,
    ]);
    for (const [method, url, body] of writes) {
      const reply = await f.inject(method, url, {
        token,
        ...(body === undefined ? {} : { body, contentType: json }),
      });
      expect([method, url, reply.statusCode]).toEqual([method, url, 429]);
      expect(Number(reply.headers['retry-after'])).toBeGreaterThan(0);
      expect(errorOf(reply.body).status).toBe('RESOURCE_EXHAUSTED');
    }
    const after = JSON.stringify([
      await f.store.jobs.find(f.project, SEED.job),
      await f.store.models.find(f.project, SEED.model),
      (await f.store.versions.list(f.project, SEED.model)).versions.map((x) => [
        x.name,
        x.isDefault,
        x.state,
      ]),
      (await f.store.tokens.list()).length,
    ]);
    expect(after).toBe(before);
    expect(await f.store.jobs.find(f.project, 'limited_job')).toBeUndefined();
    // Reads and predictions are not write-limited.
    expect((await f.inject('GET', `${p}/jobs`, { token })).statusCode).toBe(200);
    const predict = await f.inject(
      'POST',
      `/v1/models/${SEED.model}/versions/${SEED.rawVersion}:predict`,
      {
        token,
        body: '{"instances":[[1,2]]}',
        contentType: json,
      },
    );
    expect(predict.statusCode).toBe(200);
  });
});
