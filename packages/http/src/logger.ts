import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import type { LogLevel } from '@stratus/config';

/** Query parameters that may carry a credential (the dashboard's `/?token=` login link). */
const SECRET_QUERY = /([?&](?:token|access_token|key)=)[^&#]*/gi;

/** A URL fit for logs: credentials in the query string are masked. */
export const redactUrl = (url: string): string => url.replace(SECRET_QUERY, '$1[REDACTED]');

interface RequestLike {
  readonly method?: string;
  readonly url?: string;
  readonly ip?: string;
}

/**
 * Request/response serializers: method, redacted URL and address; never
 * headers (Authorization) or bodies.
 */
const serializers = {
  req: (req: RequestLike) => ({
    method: req.method,
    url: redactUrl(req.url ?? ''),
    remoteAddress: req.ip,
  }),
  res: (res: { readonly statusCode?: number }) => ({ statusCode: res.statusCode }),
  err: pino.stdSerializers.err,
};

/** Paths masked wherever they appear in a log object, in case a caller logs headers or a grant. */
const redact = {
  paths: [
    'authorization',
    'token',
    'headers.authorization',
    'req.headers.authorization',
    '*.authorization',
    '*.token',
  ],
  censor: '[REDACTED]',
};

/**
 * The pino logger of Stratus HTTP servers (API, predictor): request logs
 * without tokens or bodies. Without a `destination` it writes JSON lines to
 * stdout asynchronously, in writes of
 * 4 KiB or every 200 ms (a busy server would otherwise make a system call per
 * line); pino flushes what is pending when the process exits, so only a hard
 * kill (SIGKILL, OOM) can lose the last lines.
 */
export const createApiLogger = (
  options: {
    readonly level?: LogLevel;
    readonly destination?: DestinationStream;
    /** Write stdout synchronously, one system call per line. @defaultValue false */
    readonly sync?: boolean;
  } = {},
): Logger => {
  const loggerOptions: LoggerOptions = {
    level: options.level ?? 'info',
    serializers,
    redact,
  };
  return pino(
    loggerOptions,
    options.destination ??
      (options.sync === true
        ? pino.destination({ dest: 1, sync: true })
        : pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 200 })),
  );
};

/** A child of a caller's logger with the same safeguards. */
export const safeChildLogger = (logger: Logger): Logger =>
  logger.child({}, { serializers, redact });
