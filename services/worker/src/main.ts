#!/usr/bin/env node
/**
 * `node services/worker/dist/main.js [--worker-id ID] [--lock-duration-ms N]
 * [--stalled-interval-ms N] [--heartbeat-interval-ms N] [--warm-processes N]`:
 * a Stratus worker configured by the environment (docs/operations.md). SIGTERM or
 * SIGINT drains it: running trials are paused at their last checkpoint and
 * handed back to the queue, then it exits 0. A second signal exits at once.
 * Started with an IPC channel (by `stratus serve`), it also drains when its
 * parent disconnects.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '@stratus/config';
import { coerceError } from '@stratus/spec';
import { createWorkerLogger } from './logger.js';
import { closeOnSignals } from './signals.js';
import { startWorker, type WorkerOptions } from './worker.js';

const { values } = parseArgs({
  options: {
    'worker-id': { type: 'string' },
    'lock-duration-ms': { type: 'string' },
    'stalled-interval-ms': { type: 'string' },
    'heartbeat-interval-ms': { type: 'string' },
    'warm-processes': { type: 'string' },
    'reconcile-interval-ms': { type: 'string' },
  },
});

const number = (name: keyof typeof values): number | undefined => {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 0) {
    process.stderr.write(`--${name} must be a non-negative integer, got "${raw}"\n`);
    process.exit(2);
  }
  return parsed;
};

const config = loadConfig(process.env);
const logger = createWorkerLogger(config.logLevel);
const options: WorkerOptions = {
  logger,
  env: process.env,
  ...(values['worker-id'] === undefined ? {} : { workerId: values['worker-id'] }),
  ...Object.fromEntries(
    (
      [
        ['lockDurationMs', 'lock-duration-ms'],
        ['stalledIntervalMs', 'stalled-interval-ms'],
        ['heartbeatIntervalMs', 'heartbeat-interval-ms'],
        ['warmProcesses', 'warm-processes'],
        ['reconcileIntervalMs', 'reconcile-interval-ms'],
      ] as const
    ).flatMap(([option, flag]) => {
      const value = number(flag);
      return value === undefined ? [] : [[option, value]];
    }),
  ),
};

try {
  const worker = await startWorker(config, options);
  const stop = closeOnSignals(() => worker.close(), logger);
  // Started by `stratus serve` with an IPC channel: drain when it goes away.
  if (process.channel !== undefined) process.on('disconnect', () => stop('parent disconnected'));
} catch (error) {
  logger.error({ err: coerceError(error) }, 'worker failed to start');
  process.exit(1);
}
