import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorOf, openTestApi, type TestApi } from '../api.test-support.js';

const INDEX =
  '<!doctype html><title>Stratus</title><script type="module" src="/assets/app-1a2b.js"></script>';
const SCRIPT = 'console.log("dashboard")';

let dir = '';
let t: TestApi;
let none: TestApi;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratus-dashboard-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'assets', 'app-1a2b.js'), SCRIPT);
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  [t, none] = await Promise.all([
    openTestApi({ dashboardDir: dir }),
    openTestApi({ dashboardDir: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([t.close(), none.close()]);
  await rm(dir, { recursive: true, force: true });
});

const expectSecurityHeaders = (headers: Record<string, unknown>): void => {
  const csp = String(headers['content-security-policy']);
  const directive = (name: string): string =>
    csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith(`${name} `)) ?? '';
  expect(directive('script-src')).toBe("script-src 'self'");
  expect(directive('default-src')).toBe("default-src 'self'");
  expect(directive('frame-ancestors')).toBe("frame-ancestors 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toBe('no-referrer');
};

describe('the dashboard at /', () => {
  it('serves index.html at / and at every client route, without a token, with security headers', async () => {
    for (const url of [
      '/',
      '/jobs',
      '/jobs/iris_1',
      '/models',
      '/buckets',
      '/workers',
      '/login',
      '/?token=x',
    ]) {
      const response = await t.call('GET', url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toBe(INDEX);
      expectSecurityHeaders(response.headers);
    }
  });

  it('serves built files with their type; hashed assets are cached as immutable', async () => {
    const script = await t.call('GET', '/assets/app-1a2b.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toBe(SCRIPT);
    expectSecurityHeaders(script.headers);
    const icon = await t.call('GET', '/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('leaves the API paths alone: unknown /v1, /v2 and other paths are JSON 404s, auth still applies', async () => {
    for (const url of [
      '/v1/projects/demo/nothing',
      '/v2/models/x/ready',
      '/assets/missing.js',
      '/jobs/a/b',
      '/nope',
    ]) {
      const response = await t.call('GET', url);
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('application/json');
      expect(errorOf(response).reason).toBe('ROUTE_NOT_FOUND');
    }
    const health = await t.call('GET', '/healthz');
    expect(health.json()).toEqual({ status: 'ok' });
    const jobs = await t.call('GET', '/v1/projects/demo/jobs');
    expect(jobs.statusCode).toBe(401);
    const openapi = await t.call('GET', '/openapi.json', { token: t.tokens.admin });
    expect(Object.keys((openapi.json() as { paths: object }).paths)).not.toContain('/jobs/{jobId}');
  });

  it('serves nothing at / when the app is built without a dashboard', async () => {
    const response = await none.call('GET', '/');
    expect(response.statusCode).toBe(404);
    expect(errorOf(response).reason).toBe('ROUTE_NOT_FOUND');
  });
});
