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

/** The API's pino logger: request logs without tokens or bodies. */
export const createApiLogger = (
  options: { readonly level?: LogLevel; readonly destination?: DestinationStream } = {},
): Logger => {
  const loggerOptions: LoggerOptions = {
    level: options.level ?? 'info',
    serializers,
    redact,
  };
  return options.destination === undefined
    ? pino(loggerOptions)
    : pino(loggerOptions, options.destination);
};

/** A child of a caller's logger with the same safeguards. */
export const safeChildLogger = (logger: Logger): Logger =>
  logger.child({}, { serializers, redact });
