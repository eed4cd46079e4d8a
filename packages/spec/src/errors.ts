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
  OBJECT_NAME_CONFLICT: {
    httpStatus: 409,
    status: 'FAILED_PRECONDITION',
    message: 'Object {uri} conflicts with an existing object or folder: {detail}',
  },

  // --- training and model bundles
  BUNDLE_INVALID: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: 'Model bundle {uri} is invalid: {detail}',
  },
  TRIAL_FAILED: {
    httpStatus: 500,
    status: 'INTERNAL',
    message: 'Trial {trialId} failed: {detail}',
  },
  TRIAL_CANCELLED: {
    httpStatus: 409,
    status: 'CANCELLED',
    message: 'Trial {trialId} was stopped: {detail}',
  },
  MODEL_TOO_LARGE: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message:
      '{file} declares {count} parameters, over the limit of {limit} (STRATUS_MAX_MODEL_PARAMS)',
  },
  CHECKPOINT_INVALID: {
    httpStatus: 500,
    status: 'INTERNAL',
    message: 'Checkpoint {uri} cannot be restored: {detail}',
  },

  TFJS_BACKEND_UNAVAILABLE: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: 'TensorFlow.js backend "{backend}" is unavailable: {detail}',
  },

  DATASET_INVALID: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Dataset {uri} is invalid: {detail}',
  },

  // --- API resources (context `name` is the full resource name)
  JOB_NOT_FOUND: { httpStatus: 404, status: 'NOT_FOUND', message: 'Job "{name}" not found' },
  JOB_ALREADY_EXISTS: {
    httpStatus: 409,
    status: 'ALREADY_EXISTS',
    message: 'Job "{name}" already exists',
  },
  TRIAL_NOT_FOUND: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'Trial {trialId} of job "{name}" not found',
  },
  MODEL_NOT_FOUND: { httpStatus: 404, status: 'NOT_FOUND', message: 'Model "{name}" not found' },
  MODEL_ALREADY_EXISTS: {
    httpStatus: 409,
    status: 'ALREADY_EXISTS',
    message: 'Model "{name}" already exists',
  },
  MODEL_HAS_VERSIONS: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: 'Model "{name}" still has {count} version(s); delete them first',
  },
  NO_DEFAULT_VERSION: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: 'Model "{name}" has no default version',
  },
  VERSION_NOT_FOUND: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'Version "{name}" not found',
  },
  LABEL_NOT_FOUND: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'Label "{label}" of model "{name}" not found; its labels: {labels}',
  },
  VERSION_ALREADY_EXISTS: {
    httpStatus: 409,
    status: 'ALREADY_EXISTS',
    message: 'Version "{name}" already exists',
  },
  VERSION_NOT_READY: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: 'Version "{name}" is {state}, not READY',
  },
  DEFAULT_VERSION_DELETE: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: 'Version "{name}" is the default version of its model; set another default first',
  },
  SOURCE_JOB_NOT_READY: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: 'Job "{name}" is {state}; a version can only be created from a SUCCEEDED job',
  },
  OPERATION_NOT_FOUND: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'Operation "{name}" not found',
  },
  ETAG_MISMATCH: {
    httpStatus: 409,
    status: 'ABORTED',
    message:
      'The etag "{etag}" does not match the current etag of {kind} "{name}": it changed since it was read; read it again and retry',
  },
  OPERATION_CANCELLED: {
    httpStatus: 409,
    status: 'CANCELLED',
    message: 'Operation "{name}" was cancelled',
  },
  INVALID_STATE_TRANSITION: {
    httpStatus: 400,
    status: 'FAILED_PRECONDITION',
    message: 'Cannot move {kind} "{name}" from {from} to {to}',
  },
  INVALID_MODEL_SPEC: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid model: {detail}',
  },
  INVALID_VERSION_SPEC: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid version: {detail}',
  },
  INVALID_HYPERPARAMETER_VALUE: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid value "{value}" for hyperparameter {name}: {detail}',
  },
  INVALID_PREDICT_REQUEST: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Invalid prediction request: {detail}',
  },

  // --- auth and limits
  UNAUTHENTICATED: {
    httpStatus: 401,
    status: 'UNAUTHENTICATED',
    message: 'Request is not authenticated: {detail}',
  },
  PERMISSION_DENIED: {
    httpStatus: 403,
    status: 'PERMISSION_DENIED',
    message: 'Permission denied: {detail}',
  },
  RATE_LIMITED: {
    httpStatus: 429,
    status: 'RESOURCE_EXHAUSTED',
    message: 'Too many requests: {detail}',
    retryable: true,
  },
  BUCKET_NOT_FOUND: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'Bucket "{bucket}" is not owned by project "{project}"',
  },
  QUOTA_EXCEEDED: {
    httpStatus: 429,
    status: 'RESOURCE_EXHAUSTED',
    message: 'Quota exceeded: {detail}',
    retryable: true,
  },
  TOKEN_NOT_FOUND: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'Token "{tokenId}" not found',
  },

  // --- custom trainer packages
  PACKAGE_INVALID: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Trainer package {uri} is refused: {detail}',
  },
  TRAINER_EXITED: {
    httpStatus: 500,
    status: 'INTERNAL',
    message: 'Trainer module {module} {exit}: {detail}',
  },
  TRAINER_TIMEOUT: {
    httpStatus: 504,
    status: 'DEADLINE_EXCEEDED',
    message: 'Trainer module {module} ran longer than {timeoutMs} ms and was stopped ({detail})',
  },
  TRAINER_DISK_QUOTA: {
    httpStatus: 429,
    status: 'RESOURCE_EXHAUSTED',
    message:
      'Trainer module {module} wrote {bytes} bytes to its work dir, over the limit of {limitBytes} (STRATUS_TRAINER_DISK_MB), and was stopped',
  },
  TRAINER_SANDBOX_UNAVAILABLE: {
    httpStatus: 503,
    status: 'UNAVAILABLE',
    message:
      'Custom trainers cannot run on this worker: {detail}. Install bubblewrap (Debian: apt-get install bubblewrap) and allow user namespaces (docs/operations.md, "Trainer sandbox"), or, on a single-user machine only, set STRATUS_TRAINER_SANDBOX=none',
    retryable: true,
  },
  INPUT_TOO_LARGE: {
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    message: 'Input {uri} cannot be staged for the trainer: {detail}',
  },

  // --- generic
  INTERNAL: {
    httpStatus: 500,
    status: 'INTERNAL',
    message: 'Internal error: {detail}',
    retryable: true,
  },

  // --- HTTP API surface
  PROJECT_NOT_FOUND: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'Project "{project}" not found',
  },
  ROUTE_NOT_FOUND: {
    httpStatus: 404,
    status: 'NOT_FOUND',
    message: 'No route {method} {path}',
  },
  METHOD_NOT_ALLOWED: {
    httpStatus: 405,
    status: 'UNIMPLEMENTED',
    message: 'Method {method} is not allowed on {path}; allowed: {allow}',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    status: 'INVALID_ARGUMENT',
    message: 'Content-Type "{contentType}" is not supported; send application/json',
  },
  NOT_READY: {
    httpStatus: 503,
    status: 'UNAVAILABLE',
    message: 'Not ready: {detail}',
    retryable: true,
  },

  // --- online prediction (context `name` is the version's full resource name)
  PREDICT_OVERLOADED: {
    httpStatus: 429,
    status: 'RESOURCE_EXHAUSTED',
    message: 'Version "{name}" is overloaded: {detail}; retry later',
    retryable: true,
  },
  PREDICTOR_UNAVAILABLE: {
    httpStatus: 503,
    status: 'UNAVAILABLE',
    message: 'The predictor cannot serve "{name}" now: {detail}',
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

/** What a StratusError carries besides its reason and context. */
export interface StratusErrorOptions {
  readonly cause?: unknown;
  readonly violations?: readonly FieldViolation[];
  /**
   * This error's retryability when it differs from its code's (an error
   * rebuilt after crossing a boundary keeps the sender's verdict).
   * @defaultValue the registry's `retryable` for the code
   */
  readonly retryable?: boolean;
}

/** An error from the registry, carrying typed context and an optional cause. */
export class StratusError extends Error {
  override readonly name = 'StratusError';
  readonly reason: ErrorCode;
  readonly httpStatus: number;
  readonly status: GoogleStatus;
  readonly retryable: boolean;
  readonly context: ErrorContext;
  readonly violations: readonly FieldViolation[];

  constructor(reason: ErrorCode, context: ErrorContext = {}, options: StratusErrorOptions = {}) {
    const def: ErrorDefinition = ERRORS[reason];
    super(
      render(def.message, context),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.reason = reason;
    this.httpStatus = def.httpStatus;
    this.status = def.status;
    this.retryable = options.retryable ?? def.retryable ?? false;
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
