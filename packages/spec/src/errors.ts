/**
 * The one error registry. Every error Stratus reports has a stable reason
 * code, an HTTP status, a Google API status word and a message template.
 * The API maps a StratusError to the Google error shape; clients match on
 * `reason`, never on the message.
 */

/** Google API canonical status words, keyed by the HTTP status they map to. */
export type GoogleStatus =
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'OUT_OF_RANGE'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'ABORTED'
  | 'RESOURCE_EXHAUSTED'
  | 'CANCELLED'
  | 'INTERNAL'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'UNIMPLEMENTED';

export interface ErrorDefinition {
  readonly httpStatus: number;
  readonly status: GoogleStatus;
  /** Message template; `{name}` is replaced by `context.name`. */
  readonly message: string;
  /** Whether retrying the same operation may succeed. @defaultValue false */
  readonly retryable?: boolean;
}

const define = <T extends Record<string, ErrorDefinition>>(defs: T): Readonly<T> =>
  Object.freeze(defs);

export const ERRORS = define({
  // --- request validation
  INVALID_ARGUMENT: { httpStatus: 400, status: 'INVALID_ARGUMENT', message: '{detail}' },
  INVALID_JSON: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Request body is not valid JSON: {detail}',
  },
  INVALID_RESOURCE_NAME: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid {kind} name "{value}": {detail}',
  },
  INVALID_JOB_SPEC: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid job: {detail}',
  },
  INVALID_HYPERPARAMETER_SPEC: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid hyperparameter spec: {detail}',
  },
  INVALID_CONFIG: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid configuration: {detail}',
  },
  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    status: 'OUT_OF_RANGE',
    message: 'Request body exceeds {limit} bytes',
  },

  // --- storage
  INVALID_STORAGE_URI: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid storage URI "{uri}": {detail}',
  },
  OBJECT_NOT_FOUND: { httpStatus: 404, status: 'NOT_FOUND', message: 'Object {uri} not found' },
  STORAGE_UNAVAILABLE: {
    httpStatus: 503,
    status: 'UNAVAILABLE',
    message: 'Storage is unavailable: {detail}',
    retryable: true,
  },
  STORAGE_ERROR: {
    httpStatus: 500,
    status: 'INTERNAL',
    message: 'Storage operation {op} on {uri} failed: {detail}',
    retryable: true,
  },

  // --- generic
  INTERNAL: {
    httpStatus: 500,
    status: 'INTERNAL',
    message: 'Internal error: {detail}',
    retryable: true,
  },
});

export type ErrorCode = keyof typeof ERRORS;

export type ErrorContext = Readonly<Record<string, string | number | boolean | undefined>>;

/** One violation found by validation: the JSON field path and what is wrong. */
export interface FieldViolation {
  readonly field: string;
  readonly description: string;
}

const render = (template: string, context: ErrorContext): string =>
  template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = context[key];
    return value === undefined ? `{${key}}` : String(value);
  });

/** An error from the registry, carrying typed context and an optional cause. */
export class StratusError extends Error {
  override readonly name = 'StratusError';
  readonly reason: ErrorCode;
  readonly httpStatus: number;
  readonly status: GoogleStatus;
  readonly retryable: boolean;
  readonly context: ErrorContext;
  readonly violations: readonly FieldViolation[];

  constructor(
    reason: ErrorCode,
    context: ErrorContext = {},
    options: { cause?: unknown; violations?: readonly FieldViolation[] } = {},
  ) {
    const def: ErrorDefinition = ERRORS[reason];
    super(
      render(def.message, context),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.reason = reason;
    this.httpStatus = def.httpStatus;
    this.status = def.status;
    this.retryable = def.retryable ?? false;
    this.context = context;
    this.violations = options.violations ?? [];
  }
}

export const isStratusError = (value: unknown): value is StratusError =>
  value instanceof StratusError;

/** Turn anything caught into an Error (graphile-worker's coerceError). */
export const coerceError = (value: unknown): Error => {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(value)}`);
  } catch {
    return new Error(`Non-error thrown: ${String(value)}`);
  }
};
