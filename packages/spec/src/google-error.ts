import { Type, type Static } from '@sinclair/typebox';
import type { GoogleStatus, StratusError } from './errors.js';

/** The `domain` of every ErrorInfo Stratus sends. */
export const ERROR_DOMAIN = 'stratus';
export const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';
export const BAD_REQUEST_TYPE = 'type.googleapis.com/google.rpc.BadRequest';

/** gRPC canonical codes: google.rpc.Status.code inside long-running Operations. */
export const GRPC_CODES: Readonly<Record<GoogleStatus, number>> = {
  CANCELLED: 1,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
};

export const ErrorInfoSchema = Type.Object({
  '@type': Type.Literal(ERROR_INFO_TYPE),
  /** The stable code from the registry (`JOB_NOT_FOUND`). */
  reason: Type.String(),
  domain: Type.String(),
  metadata: Type.Record(Type.String(), Type.String()),
});
export type ErrorInfo = Static<typeof ErrorInfoSchema>;

export const BadRequestSchema = Type.Object({
  '@type': Type.Literal(BAD_REQUEST_TYPE),
  fieldViolations: Type.Array(Type.Object({ field: Type.String(), description: Type.String() })),
});
export type BadRequest = Static<typeof BadRequestSchema>;

export const ErrorDetailSchema = Type.Union([ErrorInfoSchema, BadRequestSchema]);
export type ErrorDetail = Static<typeof ErrorDetailSchema>;

/** google.rpc.Status as used in an Operation's `error` (code is the gRPC code). */
export const RpcStatusSchema = Type.Object({
  code: Type.Integer(),
  message: Type.String(),
  details: Type.Optional(Type.Array(ErrorDetailSchema)),
});
export type RpcStatus = Static<typeof RpcStatusSchema>;

/** Every error response body: `{"error": {code: <http status>, status, message, details}}`. */
export const GoogleErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.Integer(),
      status: Type.String(),
      message: Type.String(),
      details: Type.Array(ErrorDetailSchema),
    }),
  },
  { $id: 'GoogleError' },
);
export type GoogleError = Static<typeof GoogleErrorSchema>;

const errorDetails = (err: StratusError): ErrorDetail[] => {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(err.context)) {
    if (value !== undefined) metadata[key] = String(value);
  }
  const details: ErrorDetail[] = [
    { '@type': ERROR_INFO_TYPE, reason: err.reason, domain: ERROR_DOMAIN, metadata },
  ];
  if (err.violations.length > 0) {
    details.push({
      '@type': BAD_REQUEST_TYPE,
      fieldViolations: err.violations.map(({ field, description }) => ({ field, description })),
    });
  }
  return details;
};

/** The HTTP error body for a StratusError (Google API shape, ErrorInfo + BadRequest details). */
export const toGoogleError = (err: StratusError): GoogleError => ({
  error: {
    code: err.httpStatus,
    status: err.status,
    message: err.message,
    details: errorDetails(err),
  },
});

/** The google.rpc.Status for a failed Operation (gRPC code, same details). */
export const toRpcStatus = (err: StratusError): RpcStatus => ({
  code: GRPC_CODES[err.status],
  message: err.message,
  details: errorDetails(err),
});
