#!/usr/bin/env node
/**
 * `node services/predictor/dist/main.js`: a standalone predictor configured
 * by the environment (docs/operations.md; STRATUS_PORT, STRATUS_PREDICTOR_* and
 * STRATUS_PREDICT_* for its limits). SIGTERM or SIGINT closes it: queued
 * requests get 503, running model calls finish.
 */
import { loadConfig } from '@stratus/config';
import { createApiLogger } from '@stratus/http';
import { coerceError } from '@stratus/spec';
import { threadCount } from './predictor.js';
import { startPredictorServer } from './server.js';

const config = loadConfig(process.env);
const logger = createApiLogger({ level: config.logLevel });
try {
  const server = await startPredictorServer(config, { logger });
  logger.info(
    { url: server.url, threads: threadCount(config.predictor.threads) },
    'predictor listening',
  );
  const stop = (signal: string): void => {
    logger.info({ signal }, 'predictor stopping');
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: coerceError(error) }, 'predictor did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  logger.error({ err: coerceError(error) }, 'predictor failed to start');
  process.exit(1);
}
