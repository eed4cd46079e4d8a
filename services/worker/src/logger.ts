import { pino, type DestinationStream } from 'pino';
import type { LogLevel } from '@stratus/config';

type LogFn = (obj: object, msg?: string) => void;

/** A pino-compatible logger: what the worker's modules log to. */
export interface WorkerLogger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
  child?(bindings: Record<string, unknown>): WorkerLogger;
}

/** A logger that drops everything (the default for library use). */
export const silentLogger: WorkerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** `logger.child(bindings)` when the logger has children, else the logger itself. */
export const childLogger = (
  logger: WorkerLogger,
  bindings: Record<string, unknown>,
): WorkerLogger => logger.child?.(bindings) ?? logger;

/** The worker's pino logger (JSON lines on stdout), tagged with its id. */
export const createWorkerLogger = (
  level: LogLevel,
  bindings: Record<string, unknown> = {},
  destination?: DestinationStream,
): WorkerLogger => {
  const logger = pino({ level, base: { service: 'worker', ...bindings } }, destination);
  return logger as unknown as WorkerLogger;
};
