import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { StratusConfig } from '@stratus/config';
import type { Storage } from '@stratus/storage';
import type { JobStore } from '@stratus/store';
import { cloudMlRoutes } from './protocols/cloud-ml.js';
import { kserveRoutes } from './protocols/kserve.js';
import { plainNotFound, retryAfter } from './protocols/route-kit.js';
import { tfServingRoutes } from './protocols/tf-serving.js';
import { tfServingExampleRoutes } from './protocols/tf-serving-examples.js';
import { Predictor, type PredictorOptions } from './predictor.js';
import { registerPredictorMetrics } from './predictor-metrics.js';

/** The API's Prometheus registry (`app.metricsRegistry`) when mounted in the API. */
const apiRegistry = (app: FastifyInstance): Registry | undefined =>
  app.hasDecorator('metricsRegistry')
    ? (app as FastifyInstance & { metricsRegistry: Registry }).metricsRegistry
    : undefined;

/** What the predictor's routes need from the server they are mounted in (a subset of the API's). */
export interface PredictorRouteDeps {
  readonly config: Readonly<StratusConfig>;
  readonly store: JobStore;
  readonly storage: Storage;
}

export interface PredictorPluginOptions {
  /**
   * A predictor you made, started and will close yourself (tests read its
   * stats). Without one the plugin makes one from the server's config, store
   * and storage, starts it with the server and closes it with the server.
   */
  readonly predictor?: Predictor;
  /** Options of the predictor the plugin makes (limits, TTLs). */
  readonly options?: Omit<PredictorOptions, 'config' | 'store' | 'storage'>;
  /**
   * Where the predictor's Prometheus metrics go. @defaultValue the API's
   * `app.metricsRegistry` when mounted in the API (its /metrics serves them), else none
   */
  readonly registry?: Registry;
}

/**
 * The predictor's routes as one fastify plugin: Cloud ML `:predict`, TF
 * Serving REST and KServe v2 (the latter two on `config.defaultProject`,
 * their unmatched paths answered as `{"error": "…"}`).
 * The all-in-one server mounts it in the API
 * (`startApiServer(config, { plugins: [predictorPlugin()] })`);
 * `startPredictorServer` mounts it alone.
 */
export const predictorPlugin =
  (pluginOptions: PredictorPluginOptions = {}): FastifyPluginAsync<PredictorRouteDeps> =>
  async (app, deps) => {
    let { predictor } = pluginOptions;
    if (predictor === undefined) {
      const owned = new Predictor({
        logger: app.log,
        ...pluginOptions.options,
        config: deps.config,
        store: deps.store,
        storage: deps.storage,
      });
      await owned.start();
      app.addHook('onClose', () => owned.close());
      predictor = owned;
    }
    retryAfter(app);
    const project = deps.config.defaultProject;
    const registry = pluginOptions.registry ?? apiRegistry(app);
    if (registry !== undefined) registerPredictorMetrics(app, registry, predictor, project);
    await app.register(cloudMlRoutes(predictor));
    await app.register(tfServingRoutes(predictor, deps.store, project));
    await app.register(tfServingExampleRoutes(predictor, project));
    await app.register(kserveRoutes(predictor, deps.store, project));
    // Unmatched TF Serving and KServe paths answer in their protocol's shape; /v1/projects/… in Google's.
    await app.register(plainNotFound, { prefix: '/v1/models' });
    await app.register(plainNotFound, { prefix: '/v2' });
  };
