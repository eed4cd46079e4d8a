import type { Operation } from '@stratus/spec';

/** A failed operation as the error the CLI prints: `REASON: message`, exit 1. */
export class OperationFailedError extends Error {
  override readonly name = 'OperationFailedError';
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The error a finished operation carries, if any, with the reason code of
 * its ErrorInfo detail (`BUNDLE_INVALID`); `OPERATION_FAILED` when the
 * server gave none.
 */
export const operationError = (operation: Operation): OperationFailedError | undefined => {
  const error = operation.error;
  if (error === undefined) return undefined;
  const info = error.details?.find((detail) => 'reason' in detail);
  const reason = info !== undefined && 'reason' in info ? info.reason : 'OPERATION_FAILED';
  return new OperationFailedError(reason, error.message);
};
