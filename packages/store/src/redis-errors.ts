import type { Redis } from 'ioredis';
import { coerceError } from '@stratus/spec';
import type { Logger } from '@stratus/spec';

/**
 * Route a connection's errors (refused reconnects while Redis restarts, resets) to the
 * logger. Without an `error` listener ioredis writes each one to stderr with
 * console.error, past pino. ioredis reconnects either way. Returns the connection.
 */
export const logRedisErrors = (
  redis: Redis,
  logger: Logger | undefined,
  connection: string,
): Redis => {
  redis.on('error', (error: unknown) =>
    logger?.warn({ err: coerceError(error), connection }, 'Redis connection error; reconnecting'),
  );
  return redis;
};
