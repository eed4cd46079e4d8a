import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { irisJob, openTestApi, type TestApi } from './api.test-support.js';
import { pythonHeaders } from '../../../tests/support/python-client.js';

let t: TestApi;
let base: string;

beforeAll(async () => {
  t = await openTestApi({ dashboardDir: false });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

/** A real HTTP request, shaped as the Python client sends it. */
const call = async (method: string, path: string, token = t.tokens.admin, body?: unknown) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: pythonHeaders(token, body !== undefined),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as unknown };
};

const messageOf = (body: unknown): string => (body as { error: { message: string } }).error.message;

describe('standard system parameters over HTTP', () => {
  it('lists jobs with ?alt=json&prettyPrint=false (a 400 "alt: unknown field" before)', async () => {
    const created = await call('POST', '/v1/projects/demo/jobs?alt=json', t.tokens.editor, {
      ...irisJob('sys_params_a', { labels: { team: 'ml' } }),
    });
    expect(created.status, created.text).toBe(200);
    const listed = await call('GET', '/v1/projects/demo/jobs?alt=json&prettyPrint=false');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.text).not.toContain('\n');
    const jobs = (listed.json() as { jobs: Job[] }).jobs;
    expect(jobs.map((job) => job.jobId)).toContain('sys_params_a');
  });

  it('gives a partial response for fields=jobs(jobId,state),nextPageToken', async () => {
    await call('POST', '/v1/projects/demo/jobs', t.tokens.editor, irisJob('sys_params_b'));
    const page = await call(
      'GET',
      '/v1/projects/demo/jobs?alt=json&pageSize=1&fields=jobs(jobId,state),nextPageToken',
    );
    expect(page.status, page.text).toBe(200);
    const body = page.json() as { jobs: Record<string, unknown>[]; nextPageToken?: string };
    expect(Object.keys(body).sort()).toEqual(['jobs', 'nextPageToken']);
    expect(body.jobs).toHaveLength(1);
    expect(Object.keys(body.jobs[0] ?? {}).sort()).toEqual(['jobId', 'state']);
    expect(body.jobs[0]?.state).toBe('QUEUED');
  });

  it('takes a/b nesting and leaves unknown names absent', async () => {
    const job = await call(
      'GET',
      '/v1/projects/demo/jobs/sys_params_a?fields=labels/team,trainingInput/scaleTier,noSuchField',
    );
    expect(job.status, job.text).toBe(200);
    expect(job.json()).toEqual({ labels: { team: 'ml' }, trainingInput: { scaleTier: 'BASIC' } });
  });

  it('pretty-prints with prettyPrint=true', async () => {
    const job = await call('GET', '/v1/projects/demo/jobs/sys_params_a?prettyPrint=true');
    expect(job.status).toBe(200);
    expect(job.text).toBe(JSON.stringify(job.json(), null, 2));
  });

  it('accepts $.xgafv=1|2 and keeps the Google error shape', async () => {
    for (const version of ['1', '2']) {
      const missing = await call('GET', `/v1/projects/demo/jobs/nope?$.xgafv=${version}`);
      expect(missing.status).toBe(404);
      expect(missing.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    }
  });

  it('answers 400 naming the parameter for a bad value or a malformed mask', async () => {
    const cases: [string, string][] = [
      ['alt=proto', 'alt: "proto" is not supported; only "json" is'],
      ['alt=json&alt=json', 'alt: is given more than once'],
      ['prettyPrint=yes', 'prettyPrint: must be "true" or "false", not "yes"'],
      ['$.xgafv=3', '$.xgafv: must be 1 or 2, not "3"'],
      [
        'fields=jobs(jobId',
        'fields: malformed mask "jobs(jobId": expected "," or ")" at position 11, found the end',
      ],
      [
        'fields=jobs/,state',
        'fields: malformed mask "jobs/,state": expected a field name at position 6, found ","',
      ],
    ];
    for (const [query, message] of cases) {
      const response = await call('GET', `/v1/projects/demo/jobs?${query}`);
      expect(response.status, query).toBe(400);
      expect(messageOf(response.json()), query).toBe(message);
    }
  });

  it('accepts them on every GET route of the API, answering as without them', async () => {
    const doc = (await call('GET', '/openapi.json')).json() as { paths: Record<string, object> };
    const ids: Record<string, string> = {
      project: 'demo',
      jobId: 'sys_params_a',
      model: 'm',
      version: 'v1',
      operation: 'o',
    };
    const gets = Object.entries(doc.paths)
      .filter(([path, ops]) => path.startsWith('/v1/') && 'get' in ops)
      .map(([path]) => path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? 'x'));
    expect(gets.length).toBeGreaterThanOrEqual(12);
    for (const path of gets) {
      const plain = await call('GET', path);
      const withParams = await call('GET', `${path}?alt=json&prettyPrint=false&$.xgafv=2`);
      expect([path, withParams.status]).toEqual([path, plain.status]);
      expect(withParams.status, `${path}: ${withParams.text}`).not.toBe(400);
    }
  });

  it('accepts them on writes: create, setDefault and delete', async () => {
    const model = await call('POST', '/v1/projects/demo/models?alt=json', t.tokens.editor, {
      name: 'sys_model',
    });
    expect(model.status, model.text).toBe(200);
    const fields = await call(
      'GET',
      '/v1/projects/demo/models/sys_model?alt=json&fields=name',
      t.tokens.viewer,
    );
    expect(fields.json()).toEqual({ name: 'projects/demo/models/sys_model' });
    const deleted = await call(
      'DELETE',
      '/v1/projects/demo/models/sys_model?alt=json&$.xgafv=2',
      t.tokens.editor,
    );
    expect(deleted.status, deleted.text).toBe(200);
  });
});
