#!/usr/bin/env node
/**
 * `npm start` / `stratus serve`: the all-in-one server. Configured by the
 * environment (DESIGN §11); prints the dashboard URL with the admin token.
 * SIGTERM or SIGINT stops the worker, the API and a Redis it started, then exits 0.
 */
import { loadConfig } from '@stratus/config';
import { coerceError } from '@stratus/spec';
import { createApiLogger } from '@stratus/http';
import { closeOnSignals } from '@stratus/worker';
import { startupBanner } from './banner.js';
import { startServe } from './serve.js';

const config = loadConfig(process.env);
const logger = createApiLogger({ level: config.logLevel });

try {
  const server = await startServe(config, { env: process.env, logger });
  process.stdout.write(startupBanner(server, config));
  closeOnSignals(() => server.close(), logger);
} catch (error) {
  logger.error({ err: coerceError(error) }, 'Stratus failed to start');
  process.stderr.write(`Stratus failed to start: ${coerceError(error).message}\n`);
  process.exit(1);
}
