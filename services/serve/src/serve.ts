import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { startApiServer } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { predictorPlugin } from '@stratus/predictor';
import {
  cliConfigPath,
  redactRedisUrl,
  updateCliConfigFile,
  type StratusConfig,
} from '@stratus/config';
import { resolveAdminToken, type AdminToken } from './admin-token.js';
import { ensureRedis, type ServeRedis } from './embedded-redis.js';
import { startWorkerChild, type WorkerChild } from './worker-child.js';

export interface ServeOptions {
  /** The process environment: PATH (to find redis-server), XDG_CONFIG_HOME, and the worker's env. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** @defaultValue os.homedir() */
  readonly homeDir?: string;
  /** Extra flags for the worker child. */
  readonly workerArgs?: readonly string[];
}

/** A running all-in-one Stratus. */
export interface StratusServer {
  /** The API's base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The dashboard URL that logs the browser in: `<url>/?token=…` (print it only when generated). */
  readonly dashboardUrl: string;
  readonly adminToken: AdminToken;
  readonly redis: ServeRedis;
  readonly worker: WorkerChild;
  /** The CLI config file written. */
  readonly cliConfig: string;
  /** Stop the worker (trials pause at their checkpoints), the API, and a Redis started here. */
  close(): Promise<void>;
}

/**
 * `npm start` / `stratus serve`: Redis (found or started), the API, one
 * worker as a child process, the local bucket under `$STRATUS_HOME`, an
 * admin token, and the CLI pointed at it all.
 */
export const startServe = async (
  config: Readonly<StratusConfig>,
  options: ServeOptions,
): Promise<StratusServer> => {
  const logger = options.logger ?? createApiLogger({ level: config.logLevel });
  const redis = await ensureRedis({
    url: config.redisUrl,
    dir: join(config.home, 'redis'),
    passwordFile: join(config.home, 'redis-password'),
    path: options.env.PATH ?? '',
  });
  const shownUrl = redactRedisUrl(redis.url);
  if (redis.started) logger.info({ pid: redis.pid, url: shownUrl }, 'started redis-server');
  if (redis.unauthenticated) {
    logger.warn(
      { url: shownUrl },
      'Redis answers without a password: any local process can read and rewrite Stratus data ' +
        '(jobs, tokens, queues). Set requirepass and put the password in REDIS_URL, or let ' +
        'Stratus start its own Redis (docs/operations.md, "Redis password")',
    );
  }
  try {
    const adminToken = await resolveAdminToken(config.home, config.adminToken);
    // Every client (API, predictor, worker child) uses the URL with the password.
    const effective: Readonly<StratusConfig> = Object.freeze({
      ...config,
      redisUrl: redis.url,
      adminToken: adminToken.token,
    });
    const api = await startApiServer(effective, { logger, plugins: [predictorPlugin()] });
    const { STRATUS_ADMIN_TOKEN: _secret, ...workerEnv } = options.env;
    const worker = startWorkerChild({
      env: {
        ...workerEnv,
        REDIS_URL: redis.url,
        STRATUS_HOME: config.home,
        STRATUS_REDIS_PREFIX: config.redisPrefix,
      },
      logger,
      ...(options.workerArgs === undefined ? {} : { args: options.workerArgs }),
    });
    const cliConfig = cliConfigPath(options.env, { homeDir: options.homeDir ?? homedir() });
    await updateCliConfigFile(cliConfig, {
      'api-url': api.url,
      project: config.defaultProject,
      token: adminToken.token,
    });
    return {
      url: api.url,
      dashboardUrl: `${api.url}/?token=${encodeURIComponent(adminToken.token)}`,
      adminToken,
      redis,
      worker,
      cliConfig,
      close: async () => {
        await worker.stop();
        await api.close();
        await redis.stop();
      },
    };
  } catch (error) {
    await redis.stop();
    throw error;
  }
};
