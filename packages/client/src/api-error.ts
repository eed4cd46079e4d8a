import {
  BAD_REQUEST_TYPE,
  ERROR_INFO_TYPE,
  type ErrorDetail,
  type FieldViolation,
  type GoogleError,
} from '@stratus/spec';

/** An error response of the Stratus API (the Google error shape), or a transport failure. */
export class StratusApiError extends Error {
  override readonly name = 'StratusApiError';
  /** HTTP status (`error.code`), or 0 when no response arrived. */
  readonly code: number;
  /** Google status word (`INVALID_ARGUMENT`, `NOT_FOUND`, …); `UNAVAILABLE` for transport failures. */
  readonly status: string;
  /** Stable reason code from the registry (`JOB_NOT_FOUND`), or `HTTP_<code>` without one. */
  readonly reason: string;
  /** ErrorInfo metadata (e.g. `name`, `detail`). */
  readonly metadata: Readonly<Record<string, string>>;
  /** Field violations of a 400 (`trainingInput.jobDir` …). */
  readonly fieldViolations: readonly FieldViolation[];
  readonly details: readonly ErrorDetail[];
  /** The server's `x-request-id`, to quote in a bug report. */
  readonly requestId: string | undefined;

  constructor(
    init: {
      code: number;
      status: string;
      reason: string;
      message: string;
      metadata?: Readonly<Record<string, string>>;
      fieldViolations?: readonly FieldViolation[];
      details?: readonly ErrorDetail[];
      requestId?: string;
    },
    options?: { cause?: unknown },
  ) {
    super(init.message, options);
    this.code = init.code;
    this.status = init.status;
    this.reason = init.reason;
    this.metadata = init.metadata ?? {};
    this.fieldViolations = init.fieldViolations ?? [];
    this.details = init.details ?? [];
    this.requestId = init.requestId;
  }
}

const isGoogleError = (body: unknown): body is GoogleError => {
  const error = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof error.code === 'number' &&
    typeof error.message === 'string'
  );
};

/** The StratusApiError for an HTTP error response body (parsed JSON or raw text). */
export const errorFromResponse = (
  httpStatus: number,
  body: unknown,
  requestId: string | undefined,
): StratusApiError => {
  const extra = requestId === undefined ? {} : { requestId };
  if (!isGoogleError(body)) {
    const text = typeof body === 'string' ? body.slice(0, 200) : '';
    return new StratusApiError({
      code: httpStatus,
      status: 'UNKNOWN',
      reason: `HTTP_${httpStatus}`,
      message: `HTTP ${httpStatus}${text === '' ? '' : `: ${text}`}`,
      ...extra,
    });
  }
  const details = Array.isArray(body.error.details) ? body.error.details : [];
  let reason = `HTTP_${httpStatus}`;
  let metadata: Record<string, string> = {};
  const fieldViolations: FieldViolation[] = [];
  for (const detail of details) {
    if (detail['@type'] === ERROR_INFO_TYPE) {
      reason = detail.reason;
      metadata = detail.metadata;
    } else if (detail['@type'] === BAD_REQUEST_TYPE) {
      fieldViolations.push(...detail.fieldViolations);
    }
  }
  return new StratusApiError({
    code: body.error.code,
    status: body.error.status,
    reason,
    message: body.error.message,
    metadata,
    fieldViolations,
    details,
    ...extra,
  });
};
