import { StratusError, coerceError, isStratusError } from '@stratus/spec';

/** How a backend classified a failure. */
export type FailureKind = 'not-found' | 'unavailable' | 'error';

/** An operation name used in messages: `read`, `write`, `list`... */
export type StorageOp = 'read' | 'write' | 'list' | 'stat' | 'exists' | 'delete' | 'copy' | 'close';

/**
 * Turn a backend failure into the StratusError callers match on. Errors that
 * are already StratusErrors, and aborts requested by the caller, pass through.
 */
export const toStorageError = (
  cause: unknown,
  kind: FailureKind,
  op: StorageOp,
  uri: string,
): Error => {
  if (isStratusError(cause)) return cause;
  const error = coerceError(cause);
  if (error.name === 'AbortError') return error;
  switch (kind) {
    case 'not-found':
      return new StratusError('OBJECT_NOT_FOUND', { uri }, { cause: error });
    case 'unavailable':
      return new StratusError(
        'STORAGE_UNAVAILABLE',
        { detail: `${op} ${uri}: ${error.message}`, op, uri },
        { cause: error },
      );
    case 'error':
      return new StratusError(
        'STORAGE_ERROR',
        { op, uri, detail: error.message },
        { cause: error },
      );
  }
};

/** INVALID_ARGUMENT naming the offending option. */
export const invalidOption = (detail: string): StratusError =>
  new StratusError('INVALID_ARGUMENT', { detail });
