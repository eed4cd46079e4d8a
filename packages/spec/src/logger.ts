type LogFn = (obj: object, msg?: string) => void;

/**
 * The logger every Stratus module logs to: the part of pino's interface Stratus
 * uses, so a pino logger (or a test's recorder) is one.
 */
export interface Logger {
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  debug: LogFn;
  child?(bindings: Record<string, unknown>): Logger;
}

/** A logger that drops everything (the default for library use). */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** `logger.child(bindings)` when the logger has children, else the logger itself. */
export const childLogger = (logger: Logger, bindings: Record<string, unknown>): Logger =>
  logger.child?.(bindings) ?? logger;
