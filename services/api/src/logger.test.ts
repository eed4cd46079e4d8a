import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiLogger, redactUrl } from '@stratus/http';
import { irisJob, openTestApi, type TestApi } from './api.test-support.js';

const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    );
    callback();
  },
});

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi({ logger: createApiLogger({ level: 'trace', destination: capture }) });
});
afterAll(() => t.close());

describe('request logs', () => {
  it('never contain a token: not from headers, URLs, bodies or responses', async () => {
    const created = await t.call('POST', '/v1/tokens', {
      token: t.tokens.admin,
      body: { project: 'demo', role: 'editor', description: 'logged?' },
    });
    const secret = (created.json() as { token: string }).token;
    await t.call('POST', '/v1/projects/demo/jobs', { token: secret, body: irisJob('logged') });
    await t.call('GET', '/v1/projects/demo/jobs', { token: t.tokens.viewer });
    await t.call('GET', '/v1/tokens', { token: 'stratus_wrong-guess-1234567890' });
    await t.call('GET', `/?token=${t.tokens.editor}`);
    await t.call('GET', `/v1/workers?x=1&access_token=${t.tokens.otherEditor}`);
    const log = lines.join('\n');
    expect(lines.length).toBeGreaterThan(10);
    for (const token of [
      secret,
      t.tokens.admin,
      t.tokens.viewer,
      t.tokens.editor,
      t.tokens.otherEditor,
      'stratus_wrong-guess-1234567890',
    ]) {
      expect(log).not.toContain(token);
    }
    expect(log).toContain('"url":"/?token=[REDACTED]"');
    expect(log).toContain('"url":"/v1/workers?x=1&access_token=[REDACTED]"');
    // Nor bodies: the job's fields appear nowhere.
    expect(log).not.toContain('gs://demo/data/iris.csv');
  });

  it('carries the request id, honouring x-request-id and returning it', async () => {
    const given = await t.call('GET', '/healthz', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers['x-request-id']).toBe('trace-abc.123');
    const entries = lines.map((line) => JSON.parse(line) as { reqId?: string; msg?: string });
    expect(entries.filter((entry) => entry.reqId === 'trace-abc.123').map((e) => e.msg)).toEqual([
      'incoming request',
      'request completed',
    ]);
    const generated = await t.call('GET', '/healthz', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('masks credentials in logged URLs', () => {
    expect(redactUrl('/x?token=abc&b=2')).toBe('/x?token=[REDACTED]&b=2');
    expect(redactUrl('/x?a=1&KEY=abc#frag')).toBe('/x?a=1&KEY=[REDACTED]#frag');
    expect(redactUrl('/x?tokens=abc')).toBe('/x?tokens=abc');
  });
});
