import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { storageOptionsFromConfig, type StratusConfig } from '@stratus/config';
import { createStorage } from '@stratus/storage';
import { closeTrialQueues, createJobStore, createTrialQueues } from '@stratus/store';
import { buildApp } from './app.js';
import type { ApiOptions, ApiPlugin } from './deps.js';
import { createApiLogger } from './logger.js';

/** A listening API server and how to stop it. */
export interface ApiServer {
  readonly app: FastifyInstance;
  /** `http://host:port` it listens on (the real port when config.port is 0). */
  readonly url: string;
  /** Stop listening (open SSE streams are ended), then close queues, storage and Redis. */
  close(): Promise<void>;
}

export interface StartApiServerOptions {
  readonly logger?: Logger;
  readonly options?: Partial<ApiOptions>;
  /** Route plugins to mount, e.g. `[predictorPlugin()]` for the all-in-one server. */
  readonly plugins?: readonly ApiPlugin[];
}

/**
 * Connect to Redis and storage, register STRATUS_ADMIN_TOKEN when set, build
 * the app and listen on config.host:config.port.
 */
export const startApiServer = async (
  config: Readonly<StratusConfig>,
  options: StartApiServerOptions = {},
): Promise<ApiServer> => {
  const logger = options.logger ?? createApiLogger({ level: config.logLevel });
  const redis = new Redis(config.redisUrl, { connectionName: `${config.redisPrefix}-api` });
  const store = createJobStore({ redis, prefix: config.redisPrefix, logger });
  const storage = createStorage(storageOptionsFromConfig(config));
  const queues = createTrialQueues(redis, config.redisPrefix);
  const closeAll = async (): Promise<void> => {
    await closeTrialQueues(queues);
    await storage.close();
    await redis.quit();
  };
  try {
    if (config.adminToken !== undefined) await store.ensureAdminToken(config.adminToken);
    const app = buildApp({
      config,
      store,
      storage,
      redis,
      queues,
      logger,
      ...(options.options === undefined ? {} : { options: options.options }),
      ...(options.plugins === undefined ? {} : { plugins: options.plugins }),
    });
    const url = await app.listen({ host: config.host, port: config.port });
    return {
      app,
      url,
      close: async () => {
        await app.close();
        await closeAll();
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
};
