import { UnrecoverableError } from 'bullmq';
import { fromWireError, type WireStratusError } from '@stratus/spec';

/**
 * What a failed trial attempt throws to BullMQ: the trial's own message, with
 * the StratusError it crossed IPC as (reason, context, violations) as `cause`.
 * Retryable failures are plain Errors, so BullMQ retries them with backoff;
 * the rest are UnrecoverableError, which BullMQ never retries.
 */
export const attemptError = (wire: WireStratusError): Error => {
  const cause = fromWireError(wire);
  if (wire.retryable) return new Error(wire.message, { cause });
  const error = new UnrecoverableError(wire.message);
  error.cause = cause;
  return error;
};
