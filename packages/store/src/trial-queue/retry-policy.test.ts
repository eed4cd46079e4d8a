import { UnrecoverableError } from 'bullmq';
import { StratusError, fieldError, toWireError } from '@stratus/spec';
import { describe, expect, it } from 'vitest';
import { attemptCount, attemptError, attemptFate, isLastAttempt } from './retry-policy.js';

const causeOf = (error: Error): StratusError => {
  if (error.cause instanceof StratusError) return error.cause;
  throw new Error(`expected a StratusError cause, got ${String(error.cause)}`);
};

describe('attemptError', () => {
  it('fails a non-retryable StratusError for good, keeping its reason, context and violations', () => {
    const wire = toWireError(fieldError('PERMISSION_DENIED', 'jobDir', 'is not granted'));
    const error = attemptError(JSON.parse(JSON.stringify(wire)) as typeof wire);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect([error.name, error.message]).toEqual([
      'UnrecoverableError',
      'Permission denied: jobDir: is not granted',
    ]);
    const cause = causeOf(error);
    expect([cause.reason, cause.context, cause.violations, cause.retryable]).toEqual([
      'PERMISSION_DENIED',
      { detail: 'jobDir: is not granted' },
      [{ field: 'jobDir', description: 'is not granted' }],
      false,
    ]);
  });

  it('lets BullMQ retry a retryable StratusError, keeping its reason', () => {
    const wire = toWireError(new StratusError('STORAGE_UNAVAILABLE', { detail: 'ECONNRESET' }));
    const error = attemptError(wire);
    expect(error).not.toBeInstanceOf(UnrecoverableError);
    expect([error.name, error.message]).toEqual(['Error', 'Storage is unavailable: ECONNRESET']);
    expect([causeOf(error).reason, causeOf(error).retryable]).toEqual([
      'STORAGE_UNAVAILABLE',
      true,
    ]);
  });

  it('keeps the message of a plain Error the trainer threw, not retried', () => {
    const error = attemptError(toWireError(new RangeError('shape [3] does not match [4]')));
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(error.message).toBe('shape [3] does not match [4]');
    expect([causeOf(error).reason, causeOf(error).context]).toEqual([
      'INTERNAL',
      { detail: 'shape [3] does not match [4]' },
    ]);
  });
});

describe('attemptFate', () => {
  const retryable = { retryable: true };
  const permanent = { retryable: false };

  it('retries a retryable error while attempts are left, and fails it on the last', () => {
    expect(attemptFate(retryable, { made: 0, allowed: 3 })).toBe('retry');
    expect(attemptFate(retryable, { made: 1, allowed: 3 })).toBe('retry');
    expect(attemptFate(retryable, { made: 2, allowed: 3 })).toBe('fail');
  });

  it('fails a permanent error at once', () => {
    expect(attemptFate(permanent, { made: 0, allowed: 3 })).toBe('fail');
  });

  it('reads the count off a BullMQ job (one attempt when it sets none)', () => {
    expect(attemptCount({ attemptsMade: 1, opts: { attempts: 3 } })).toEqual({
      made: 1,
      allowed: 3,
    });
    expect(attemptCount({ attemptsMade: 0, opts: {} })).toEqual({ made: 0, allowed: 1 });
    expect(isLastAttempt({ made: 0, allowed: 1 })).toBe(true);
    expect(isLastAttempt({ made: 0, allowed: 3 })).toBe(false);
  });
});
