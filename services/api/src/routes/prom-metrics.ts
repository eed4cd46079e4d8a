import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { responses } from '@stratus/http';
import { JOB_STATES, QUEUE_KINDS } from '@stratus/spec';
import type { RouteDeps } from '../deps.js';
import { queueDepths } from '../queue-depths.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The app's Prometheus registry (what /metrics serves): plugins mounted
     * in the API, such as the predictor, register their own metrics in it.
     */
    metricsRegistry: Registry;
  }
}

/** Gauges read from Redis at scrape time, so every API replica reports the same numbers. */
const registerStoreGauges = (
  registry: Registry,
  deps: Pick<RouteDeps, 'store' | 'queues'>,
): void => {
  const { store, queues } = deps;
  new Gauge({
    name: 'stratus_jobs',
    help: 'Jobs by project and state',
    labelNames: ['project', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const project of await store.jobs.listProjects()) {
        const counts = await store.jobs.countByState(project);
        for (const state of JOB_STATES) this.set({ project, state }, counts[state]);
      }
    },
  });
  new Gauge({
    name: 'stratus_queue_trials',
    help: 'Trials in each BullMQ trial queue by state (waiting, active, delayed)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const depth of await queueDepths(queues)) {
        for (const state of ['waiting', 'active', 'delayed'] as const) {
          this.set({ queue: depth.kind, state }, depth[state]);
        }
      }
    },
  });
  new Gauge({
    name: 'stratus_workers',
    help: 'Live workers (with an unexpired heartbeat), by queue they pull',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const workers = await store.workers.list();
      for (const queue of QUEUE_KINDS) {
        this.set({ queue }, workers.filter((w) => w.queues.includes(queue)).length);
      }
    },
  });
};

/**
 * Prometheus metrics at /metrics (any valid token): HTTP latency by route
 * template (never the raw URL, which would explode label cardinality), jobs
 * by state, queue depths, workers, and the process defaults. Each app has
 * its own registry (`app.metricsRegistry`), which mounted plugins add to.
 */
export const promMetricsRoutes = fp(
  async (app: FastifyInstance, deps: Pick<RouteDeps, 'store' | 'queues'>) => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, prefix: 'stratus_api_' });
    const latency = new Histogram({
      name: 'stratus_http_request_duration_seconds',
      help: 'HTTP request latency by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    registerStoreGauges(registry, deps);
    app.decorate('metricsRegistry', registry);

    // fastify-plugin puts the hook on the root instance, so every route is timed.
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { method: request.method, route, status_code: String(reply.statusCode) };
      latency.observe(labels, reply.elapsedTime / 1000);
    });

    app.get(
      '/metrics',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['ops'],
          summary: 'Prometheus metrics (text exposition format)',
          response: responses({ 200: { type: 'string' } }),
        },
      },
      async (_request, reply) => {
        const text = await registry.metrics();
        return reply.type(registry.contentType).send(text);
      },
    );
  },
  { name: 'stratus-prom-metrics' },
);
