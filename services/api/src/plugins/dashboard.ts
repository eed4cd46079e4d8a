import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where `npm run build -w @stratus/dashboard` puts the dashboard (services/dashboard/dist). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(
  new URL('../../../dashboard/dist/', import.meta.url),
);

/** Whether `dir` holds a built dashboard (an index.html). */
export const hasDashboard = (dir: string): boolean => existsSync(join(dir, 'index.html'));

/** Client-side routes of the single-page app: each answers with index.html. */
const SPA_ROUTES = [
  '/',
  '/login',
  '/jobs',
  '/jobs/:jobId',
  '/models',
  '/buckets',
  '/workers',
] as const;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * No inline or third-party script, style or connection; never framed. React
 * and uPlot set styles through the CSSOM, which `style-src 'self'` allows.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = (reply: FastifyReply): FastifyReply =>
  reply
    .header('content-security-policy', DASHBOARD_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin');

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
}

const listFiles = async (dir: string): Promise<string[]> => {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
};

export interface DashboardPluginOptions {
  /** A built dashboard (index.html plus assets/). */
  readonly dir: string;
}

/**
 * Serves the built dashboard: its files at their paths (hashed assets cached
 * for a year, index.html revalidated), index.html for the SPA's client routes,
 * all with a strict CSP and the usual security headers. Only explicit paths
 * are routed, so /v1, /v2, /healthz and unknown paths keep the API's 404/405.
 * Files are read once at start (the build is a few hundred kB).
 */
export const dashboardPlugin: FastifyPluginAsync<DashboardPluginOptions> = async (app, options) => {
  const files = new Map<string, StaticFile>();
  for (const path of await listFiles(options.dir)) {
    const url = `/${relative(options.dir, path).split(sep).join('/')}`;
    const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    files.set(url, { body: await readFile(path), type });
  }
  const index = files.get('/index.html');
  if (index === undefined) throw new Error(`${options.dir} has no index.html`);
  const route = { config: { access: 'public' }, schema: { hide: true } } as const;

  for (const path of SPA_ROUTES) {
    app.get(path, route, async (_request, reply) =>
      securityHeaders(reply).header('cache-control', 'no-cache').type(index.type).send(index.body),
    );
  }
  for (const [url, file] of files) {
    if (url === '/index.html') continue;
    const immutable = url.startsWith('/assets/');
    app.get(url, route, async (_request, reply) =>
      securityHeaders(reply)
        .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .type(file.type)
        .send(file.body),
    );
  }
};
