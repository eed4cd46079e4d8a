import type { FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { StratusError } from '@stratus/spec';
import {
  createApiLogger,
  createBaseApp,
  healthRoutes,
  openApiPlugin,
  safeChildLogger,
} from '@stratus/http';
import { DEFAULT_API_OPTIONS, type ApiDeps, type ApiOptions, type RouteDeps } from './deps.js';
import { DEFAULT_DASHBOARD_DIR, dashboardPlugin, hasDashboard } from './plugins/dashboard.js';
import { bucketsRoutes } from './routes/buckets.js';
import { jobsRoutes } from './routes/jobs.js';
import { logsMetricsRoutes } from './routes/logs-metrics.js';
import { modelsRoutes } from './routes/models.js';
import { operationsRoutes } from './routes/operations.js';
import { promMetricsRoutes } from './routes/prom-metrics.js';
import { tokensRoutes } from './routes/tokens.js';
import { versionSignatureRoutes } from './routes/version-signature.js';
import { versionsRoutes } from './routes/versions.js';
import { workersRoutes } from './routes/workers.js';

/** The API version reported in /openapi.json. */
export const API_VERSION = '0.1.0';

/**
 * Build the Stratus REST API (docs/api.md) on the given store, storage and
 * queues, without listening: tests `inject()` or `listen({port: 0})`,
 * `startApiServer` listens. One plugin per concern: errors, auth, OpenAPI,
 * Prometheus, then one per resource, then `deps.plugins` (the predictor's
 * routes in the all-in-one server), and the built dashboard at `/` when
 * there is one.
 */
export const buildApp = (deps: ApiDeps): FastifyInstance => {
  const options: ApiOptions = { ...DEFAULT_API_OPTIONS, ...deps.options };
  const logger =
    deps.logger === undefined
      ? createApiLogger({ level: deps.config.logLevel })
      : safeChildLogger(deps.logger);
  const app = createBaseApp({
    logger,
    bodyLimit: options.bodyLimit,
    store: deps.store,
    tokenCacheMs: options.tokenCacheMs,
  });
  // Before any route: these watch onRoute (OpenAPI, 405s, access checks).
  void app.register(openApiPlugin, { version: API_VERSION });
  void app.register(promMetricsRoutes, { store: deps.store, queues: deps.queues });
  void app.register(rateLimit, {
    global: false,
    max: options.writeRateLimit,
    timeWindow: options.rateLimitWindowMs,
    // One budget per token (auth runs first); the address only where there is no token.
    keyGenerator: (request) => request.identity?.tokenId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new StratusError('RATE_LIMITED', {
        detail: `at most ${context.max} write requests per ${options.rateLimitWindowMs / 1000} s per token; retry in ${context.after}`,
      }),
  });
  void app.register(async (scope) => {
    const routeDeps: RouteDeps = {
      config: deps.config,
      store: deps.store,
      storage: deps.storage,
      redis: deps.redis,
      queues: deps.queues,
      options,
      writeLimit: scope.rateLimit(),
    };
    await scope.register(healthRoutes, routeDeps);
    await scope.register(jobsRoutes, routeDeps);
    await scope.register(logsMetricsRoutes, routeDeps);
    await scope.register(tokensRoutes, routeDeps);
    await scope.register(workersRoutes, routeDeps);
    await scope.register(modelsRoutes, routeDeps);
    await scope.register(versionsRoutes, routeDeps);
    await scope.register(versionSignatureRoutes, routeDeps);
    await scope.register(operationsRoutes, routeDeps);
    await scope.register(bucketsRoutes, routeDeps);
    // Extensions, e.g. the predictor's routes in the all-in-one server.
    for (const plugin of deps.plugins ?? []) await scope.register(plugin, routeDeps);
  });
  const dashboardDir = deps.dashboardDir ?? DEFAULT_DASHBOARD_DIR;
  if (dashboardDir !== false && hasDashboard(dashboardDir)) {
    void app.register(dashboardPlugin, { dir: dashboardDir });
  }
  return app;
};
