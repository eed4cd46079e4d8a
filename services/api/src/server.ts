import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { storageOptionsFromConfig, type StratusConfig } from '@stratus/config';
import { createStorage } from '@stratus/storage';
import {
  closeTrialQueues,
  createJobStore,
  createTrialQueues,
  logRedisErrors,
} from '@stratus/store';
import { createApiLogger, listenApp, type ListeningApp } from '@stratus/http';
import { buildApp } from './app.js';
import type { ApiOptions, ApiPlugin } from './deps.js';

/** A listening API server; `close()` stops listening, then closes queues, storage and Redis. */
export type ApiServer = ListeningApp;

export interface StartApiServerOptions {
  readonly logger?: Logger;
  readonly options?: Partial<ApiOptions>;
  /** Route plugins to mount, e.g. `[predictorPlugin()]` for the all-in-one server. */
  readonly plugins?: readonly ApiPlugin[];
  /** The built dashboard to serve at `/`; `false` for none. @defaultValue services/dashboard/dist */
  readonly dashboardDir?: string | false;
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
  // Auto-pipelining: the commands of concurrent requests issued in one tick go out in one write.
  const redis = new Redis(config.redisUrl, {
    connectionName: `${config.redisPrefix}-api`,
    enableAutoPipelining: true,
  });
  logRedisErrors(redis, logger, 'api');
  const store = createJobStore({ redis, prefix: config.redisPrefix, logger });
  const storage = createStorage(storageOptionsFromConfig(config));
  // BullMQ defines its ~50 scripts on the connection it is given, and ioredis copies every
  // script onto each pipeline it builds: on their own connection they don't slow the store's.
  const queueRedis = redis.duplicate({ connectionName: `${config.redisPrefix}-api-queues` });
  logRedisErrors(queueRedis, logger, 'api-queues');
  const queues = createTrialQueues(queueRedis, config.redisPrefix);
  const closeAll = async (): Promise<void> => {
    await closeTrialQueues(queues);
    await storage.close();
    await Promise.all([redis.quit(), queueRedis.quit()]);
  };
  return listenApp(
    config,
    async () => {
      if (config.adminToken !== undefined) await store.tokens.ensureAdmin(config.adminToken);
      return buildApp({
        config,
        store,
        storage,
        redis,
        queues,
        logger,
        ...(options.options === undefined ? {} : { options: options.options }),
        ...(options.plugins === undefined ? {} : { plugins: options.plugins }),
        ...(options.dashboardDir === undefined ? {} : { dashboardDir: options.dashboardDir }),
      });
    },
    closeAll,
  );
};
