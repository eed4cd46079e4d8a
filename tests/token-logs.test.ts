/**
 * Tokens never appear in logs (docs/api.md, issue 10): the all-in-one app (API +
 * predictor) logging at trace level into a buffer, driven through token
 * creation, listing and revocation, good, bad, revoked and query-string
 * tokens, predictions, rate-limited writes and errors. Neither any token nor
 * its SHA-256 (what the store keeps) may appear in any line.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiLogger } from '@stratus/http';
import { exampleJob, openFuzzApp, SEED, type FuzzApp } from './support/fuzz-app.js';

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  },
});

let f: FuzzApp;
beforeAll(async () => {
  f = await openFuzzApp({
    logger: createApiLogger({ level: 'trace', destination: capture }),
    options: { writeRateLimit: 5, rateLimitWindowMs: 60_000, tokenCacheMs: 0 },
  });
}, 120_000);
afterAll(() => f?.close());

const sha256 = (token: string): string => createHash('sha256').update(token).digest('hex');

describe('token hygiene in logs', () => {
  it('logs neither a token nor its hash, whatever the request', async () => {
    const json = 'application/json';
    const created = await f.inject('POST', '/v1/tokens', {
      token: f.tokens.admin,
      body: JSON.stringify({ project: f.project, role: 'editor', description: 'log probe' }),
      contentType: json,
    });
    expect(created.statusCode).toBe(200);
    const minted = created.json() as { token: string; tokenId: string };
    const bad = `stratus_${'b'.repeat(43)}`;
    const p = `/v1/projects/${f.project}`;
    const requests: [string, string, string | undefined, string?][] = [
      ['GET', '/v1/tokens', f.tokens.admin],
      ['GET', `${p}/jobs`, minted.token],
      ['POST', `${p}/jobs`, minted.token, JSON.stringify(exampleJob('logged_job'))],
      [
        'POST',
        `${p}/models/${SEED.model}/versions/${SEED.irisVersion}:predict`,
        minted.token,
        JSON.stringify({
          instances: [{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }],
        }),
      ],
      [
        'POST',
        `/v1/models/${SEED.model}/versions/${SEED.rawVersion}:predict`,
        minted.token,
        '{"instances":[[1,2]]}',
      ],
      ['POST', `/v2/models/${SEED.model}/infer`, minted.token, '{"inputs":"bad"}'],
      ['GET', `${p}/jobs`, bad],
      ['GET', `${p}/jobs?token=${minted.token}`, undefined],
      ['GET', `${p}/jobs?access_token=${f.tokens.editor}&x=1`, undefined],
      ['GET', `/v1/workers`, f.tokens.viewer],
      ['POST', `${p}/jobs`, f.tokens.viewer, JSON.stringify(exampleJob('refused_job'))],
      ['POST', `${p}/jobs`, minted.token, '{"jobId":'],
    ];
    for (const [method, url, token, body] of requests) {
      await f.inject(method, url, {
        ...(token === undefined ? {} : { token }),
        ...(body === undefined ? {} : { body, contentType: json }),
      });
    }
    // Exhaust the write budget: the 429 path logs too.
    let limited = 0;
    for (let i = 0; i < 8; i += 1) {
      const reply = await f.inject('POST', `${p}/jobs/${SEED.job}:cancel`, { token: minted.token });
      if (reply.statusCode === 429) limited += 1;
    }
    expect(limited).toBeGreaterThan(0);
    const revoked = await f.inject('DELETE', `/v1/tokens/${minted.tokenId}`, {
      token: f.tokens.admin,
    });
    expect(revoked.statusCode).toBe(200);
    const afterRevoke = await f.inject('GET', `${p}/jobs`, { token: minted.token });
    expect(afterRevoke.statusCode).toBe(401);

    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(40);
    // The log did see these requests (so the check below is not vacuous).
    expect(log).toContain('"statusCode":429');
    expect(log).toContain('"statusCode":401');
    expect(log).toContain('token=[REDACTED]');
    for (const token of [minted.token, bad, ...Object.values(f.tokens)]) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(sha256(token));
      // Nor a recognisable chunk of it (e.g. a truncated token in a message).
      expect(log).not.toContain(token.slice(-24));
    }
  });
});
