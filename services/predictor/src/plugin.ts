import type { FastifyPluginAsync } from 'fastify';
import type { RouteDeps } from '@stratus/api';
import { cloudMlRoutes } from './protocols/cloud-ml.js';
import { kserveRoutes } from './protocols/kserve.js';
import { retryAfter } from './protocols/route-kit.js';
import { tfServingRoutes } from './protocols/tf-serving.js';
import { Predictor, type PredictorOptions } from './predictor.js';

/** What the predictor's routes need from the server they are mounted in. */
export type PredictorRouteDeps = Pick<RouteDeps, 'config' | 'store' | 'storage'>;

export interface PredictorPluginOptions {
  /**
   * A predictor you made, started and will close yourself (tests read its
   * stats). Without one the plugin makes one from the server's config, store
   * and storage, starts it with the server and closes it with the server.
   */
  readonly predictor?: Predictor;
  /** Options of the predictor the plugin makes (limits, TTLs). */
  readonly options?: Omit<PredictorOptions, 'config' | 'store' | 'storage'>;
}

/**
 * The predictor's routes as one fastify plugin: Cloud ML `:predict`, TF
 * Serving REST and KServe v2 (the latter two on `config.defaultProject`).
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
    await app.register(cloudMlRoutes(predictor));
    await app.register(tfServingRoutes(predictor, deps.store, project));
    await app.register(kserveRoutes(predictor, deps.store, project));
  };
