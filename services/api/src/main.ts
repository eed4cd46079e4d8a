#!/usr/bin/env node
/**
 * `node services/api/dist/main.js` (`stratus-api`): the REST API alone, for
 * scaled-out deployments where workers and predictors run elsewhere,
 * configured by the environment (docs/operations.md). SIGTERM or SIGINT closes it:
 * it stops listening, ends open SSE streams and closes queues and Redis.
 */
import { loadConfig } from '@stratus/config';
import { coerceError } from '@stratus/spec';
import { createApiLogger } from '@stratus/http';
import { startApiServer } from './server.js';

const start = async (): Promise<void> => {
  let logger = createApiLogger();
  try {
    const config = loadConfig(process.env);
    logger = createApiLogger({ level: config.logLevel });
    const server = await startApiServer(config, { logger });
    logger.info({ url: server.url }, 'api listening');
    const stop = (signal: string): void => {
      logger.info({ signal }, 'api stopping');
      server.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: coerceError(error) }, 'api did not stop cleanly');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (error) {
    // A bad environment is reported like any other failure: one JSON line, exit 1.
    logger.error({ err: coerceError(error) }, 'api failed to start');
    process.exit(1);
  }
};

await start();
