import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Predictor } from './predictor.js';

/** Which protocol a route template belongs to. */
const protocolOf = (route: string): string =>
  route.startsWith('/v2')
    ? 'kserve_v2'
    : route.startsWith('/v1/projects/')
      ? 'cloud_ml'
      : route.startsWith('/v1/models/')
        ? 'tf_serving'
        : 'other';

/** Statuses that say nothing about a model the caller may see: their names stay out of labels. */
const UNKNOWN_MODEL = new Set([401, 403, 404, 405]);

/**
 * The predictor's Prometheus metrics, in `registry`: request latency per
 * protocol, model and status; requests shed (429, 503); batch sizes per
 * version; rows queued and calls running per version; loaded versions and
 * their weight bytes against the budget; executor thread restarts. Request
 * metrics come from an onResponse hook on `app` (the predictor's routes only).
 */
export const registerPredictorMetrics = (
  app: FastifyInstance,
  registry: Registry,
  predictor: Predictor,
  defaultProject: string,
): void => {
  const registers = [registry];
  const latency = new Histogram({
    name: 'stratus_predict_request_duration_seconds',
    help: 'Prediction request latency by protocol, model (project/model) and status code',
    labelNames: ['protocol', 'model', 'status_code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const shed = new Counter({
    name: 'stratus_predict_shed_requests_total',
    help: 'Prediction requests refused for overload (429) or while unavailable (503)',
    labelNames: ['protocol', 'model', 'status_code'] as const,
    registers,
  });
  const batchSize = new Histogram({
    name: 'stratus_predict_batch_size',
    help: 'Rows per model call, by version (project/model/version)',
    labelNames: ['version'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
    registers,
  });
  predictor.onBatch((version, rows) => batchSize.observe({ version }, rows));
  new Gauge({
    name: 'stratus_predict_queue_rows',
    help: 'Rows waiting for a model call, by version',
    labelNames: ['version'] as const,
    registers,
    collect() {
      this.reset();
      for (const depth of predictor.queueDepths()) this.set({ version: depth.key }, depth.rows);
    },
  });
  new Gauge({
    name: 'stratus_predict_inflight_batches',
    help: 'Model calls running now, by version',
    labelNames: ['version'] as const,
    registers,
    collect() {
      this.reset();
      for (const depth of predictor.queueDepths()) this.set({ version: depth.key }, depth.inflight);
    },
  });
  new Gauge({
    name: 'stratus_predict_loaded_versions',
    help: 'Versions loaded and warmed in this predictor',
    registers,
    collect() {
      this.set(predictor.loadedVersions().length);
    },
  });
  new Gauge({
    name: 'stratus_predict_loaded_bytes',
    help: 'Weight bytes of the loaded versions, every executor copy counted',
    registers,
    collect() {
      this.set(predictor.loadedBytes());
    },
  });
  new Gauge({
    name: 'stratus_predict_memory_budget_bytes',
    help: 'The memory budget loaded weights are kept under (LRU beyond it)',
    registers,
    collect() {
      this.set(predictor.limits.memoryBytes);
    },
  });
  new Gauge({
    name: 'stratus_predict_executor_threads',
    help: 'Worker threads running model calls (0: the event loop)',
    registers,
    collect() {
      this.set(predictor.threads);
    },
  });
  new Counter({
    name: 'stratus_predict_executor_restarts_total',
    help: 'Executor threads that died and were replaced',
    registers,
    collect() {
      this.reset();
      this.inc(predictor.threadRestarts);
    },
  });

  // Labelled children by label values: prom-client hashes the label object on every observe.
  const children = new Map<
    string,
    { latency: ReturnType<typeof latency.labels>; shed: ReturnType<typeof shed.labels> }
  >();
  // A callback hook: no promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route !== undefined) {
      const status = reply.statusCode;
      const params = request.params as { project?: string; model?: string };
      const model =
        params.model === undefined || UNKNOWN_MODEL.has(status)
          ? '(unknown)'
          : `${params.project ?? defaultProject}/${params.model}`;
      const protocol = protocolOf(route);
      const key = `${protocol} ${model} ${status}`;
      let child = children.get(key);
      if (child === undefined) {
        const labels = { protocol, model, status_code: String(status) };
        child = { latency: latency.labels(labels), shed: shed.labels(labels) };
        children.set(key, child);
      }
      child.latency.observe(reply.elapsedTime / 1000);
      if (status === 429 || status === 503) child.shed.inc();
    }
    done();
  });
};

/** `GET /metrics` (any valid token) serving `registry`: the standalone predictor's own. */
export const metricsRoute = (app: FastifyInstance, registry: Registry): void => {
  app.get(
    '/metrics',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['ops'], summary: 'Prometheus metrics (text exposition format)' },
    },
    async (_request, reply) => {
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );
};
