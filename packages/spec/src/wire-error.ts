/**
 * The one form an error takes crossing a boundary (a worker thread, a child
 * process's IPC channel): plain JSON that keeps the registry reason, context,
 * retryability, field violations and the cause's message, so the receiving
 * side rebuilds the same StratusError (Temporal's failure converter).
 */
import {
  ERRORS,
  StratusError,
  coerceError,
  isStratusError,
  type ErrorCode,
  type ErrorContext,
  type FieldViolation,
} from './errors.js';

/** An error as it crosses a thread or process boundary (structured-clone and JSON safe). */
export interface WireStratusError {
  /** The registry code; absent when what was thrown was not a StratusError. */
  readonly reason?: ErrorCode;
  readonly message: string;
  /** The StratusError's context, without undefined entries. */
  readonly context: ErrorContext;
  /** Whether retrying may succeed; false for anything not classified by a StratusError. */
  readonly retryable: boolean;
  readonly violations: readonly FieldViolation[];
  /** The message of the error's `cause`, when it had one. */
  readonly cause?: string;
}

const definedEntries = (context: ErrorContext): ErrorContext =>
  Object.fromEntries(Object.entries(context).filter(([, value]) => value !== undefined));

/** Flatten anything thrown for the wire; a non-Error value becomes an Error first (coerceError). */
export const toWireError = (value: unknown): WireStratusError => {
  const error = coerceError(value);
  const cause = error.cause === undefined ? {} : { cause: coerceError(error.cause).message };
  if (!isStratusError(error)) {
    return { message: error.message, context: {}, retryable: false, violations: [], ...cause };
  }
  return {
    reason: error.reason,
    message: error.message,
    context: definedEntries(error.context),
    retryable: error.retryable,
    violations: error.violations.map(({ field, description }) => ({ field, description })),
    ...cause,
  };
};

/**
 * The error again on the receiving side: the same StratusError (reason,
 * context, message, retryability, violations; the cause as an Error with its
 * message), or INTERNAL whose detail is the message of what was thrown.
 */
export const fromWireError = (wire: WireStratusError): StratusError => {
  const options = {
    violations: wire.violations,
    retryable: wire.retryable,
    ...(wire.cause === undefined ? {} : { cause: new Error(wire.cause) }),
  };
  return wire.reason !== undefined && Object.hasOwn(ERRORS, wire.reason)
    ? new StratusError(wire.reason, wire.context, options)
    : new StratusError('INTERNAL', { detail: wire.message }, options);
};
