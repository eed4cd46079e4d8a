import { Redis } from 'ioredis';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { storageOptionsFromConfig, type StratusConfig } from '@stratus/config';
import {
  DEFAULT_HTTP_OPTIONS,
  createApiLogger,
  createBaseApp,
  healthRoutes,
  listenApp,
  safeChildLogger,
} from '@stratus/http';
import { createStorage } from '@stratus/storage';
import { createJobStore, logRedisErrors } from '@stratus/store';
import { predictorPlugin, type PredictorPluginOptions } from './plugin.js';
import { metricsRoute } from './predictor-metrics.js';

/** A listening standalone predictor and how to stop it. */
export interface PredictorServer {
  readonly app: FastifyInstance;
  /** `http://host:port` it listens on (the real port when config.port is 0). */
  readonly url: string;
  /** Stop listening, close the predictor (threads, subscription), storage and Redis. */
  close(): Promise<void>;
}

export interface StartPredictorServerOptions extends PredictorPluginOptions {
  readonly logger?: Logger;
}

/**
 * `stratus predictor`: the prediction routes (Cloud ML, TF Serving, KServe
 * v2), /healthz, /readyz and /metrics (Prometheus), on config.host:config.port, with its own Redis
 * connection and storage client. Run as many as load needs: they share
 * versions through Redis and hear deploy events over pub/sub.
 */
export const startPredictorServer = async (
  config: Readonly<StratusConfig>,
  options: StartPredictorServerOptions = {},
): Promise<PredictorServer> => {
  const logger = options.logger ?? createApiLogger({ level: config.logLevel });
  const redis = new Redis(config.redisUrl, { connectionName: `${config.redisPrefix}-predictor` });
  logRedisErrors(redis, logger, 'predictor');
  const store = createJobStore({ redis, prefix: config.redisPrefix, logger });
  const storage = createStorage(storageOptionsFromConfig(config));
  const closeAll = async (): Promise<void> => {
    await storage.close();
    await redis.quit();
  };
  return listenApp(
    config,
    async () => {
      if (config.adminToken !== undefined) await store.tokens.ensureAdmin(config.adminToken);
      const app = createBaseApp({
        logger: safeChildLogger(logger),
        bodyLimit: DEFAULT_HTTP_OPTIONS.bodyLimit,
        store,
        tokenCacheMs: DEFAULT_HTTP_OPTIONS.tokenCacheMs,
      });
      await app.register(healthRoutes, { redis, storage, options: DEFAULT_HTTP_OPTIONS });
      const registry = options.registry ?? new Registry();
      collectDefaultMetrics({ register: registry, prefix: 'stratus_predictor_' });
      metricsRoute(app, registry);
      await app.register(predictorPlugin({ ...options, registry }), { config, store, storage });
      return app;
    },
    closeAll,
  );
};
