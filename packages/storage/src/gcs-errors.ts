import type { FailureKind } from './storage-errors.js';

// Network-level failures: the service may answer if asked again later.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
const UNAVAILABLE_STATUSES = new Set([408, 429, 502, 503, 504]);

/** Classify an SDK/HTTP error: 404 is "not found", connection trouble and 503s "unavailable". */
export const classifyGcsError = (error: unknown): FailureKind => {
  const { code, type } = (error ?? {}) as { code?: unknown; type?: unknown };
  if (code === 404 || code === '404') return 'not-found';
  if (typeof code === 'number' && UNAVAILABLE_STATUSES.has(code)) return 'unavailable';
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code.toUpperCase())) return 'unavailable';
  // node-fetch (under gaxios) marks its own timeouts this way.
  if (type === 'request-timeout') return 'unavailable';
  return 'error';
};
