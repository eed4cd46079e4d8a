import { pino, type DestinationStream } from 'pino';
import type { LogLevel } from '@stratus/config';
import type { Logger } from '@stratus/spec';

/** The worker's pino logger (JSON lines on stdout), tagged with its id. */
export const createWorkerLogger = (
  level: LogLevel,
  bindings: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger => {
  const logger = pino({ level, base: { service: 'worker', ...bindings } }, destination);
  return logger as unknown as Logger;
};
