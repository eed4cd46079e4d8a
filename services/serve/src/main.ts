#!/usr/bin/env node
/**
 * `npm start` / `stratus serve`: the all-in-one server. Configured by the
 * environment (docs/operations.md); prints the dashboard URL with the admin token.
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
  // Handlers first: whoever reads the banner may signal at once (a test, a supervisor), and a
  // SIGTERM before them would kill the process without stopping its worker and Redis.
  closeOnSignals(() => server.close(), logger);
  process.stdout.write(startupBanner(server, config));
} catch (error) {
  logger.error({ err: coerceError(error) }, 'Stratus failed to start');
  process.stderr.write(`Stratus failed to start: ${coerceError(error).message}\n`);
  process.exit(1);
}
