import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { StratusError } from './errors.js';
import { fieldError } from './field-errors.js';
import { fromWireError, toWireError, type WireStratusError } from './wire-error.js';

/** What a receiver gets over a process's IPC channel (JSON) … */
const overJson = (wire: WireStratusError): WireStratusError =>
  JSON.parse(JSON.stringify(wire)) as WireStratusError;

/** … and over a worker thread's port (structured clone). */
const overPort = async (wire: WireStratusError): Promise<WireStratusError> => {
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<WireStratusError>((resolve) =>
    port2.once('message', (message: WireStratusError) => resolve(message)),
  );
  port1.postMessage(wire);
  try {
    return await received;
  } finally {
    port1.close();
    port2.close();
  }
};

/** The fields of a StratusError that must survive a crossing. */
const shape = (error: StratusError) => ({
  reason: error.reason,
  message: error.message,
  context: error.context,
  retryable: error.retryable,
  httpStatus: error.httpStatus,
  violations: error.violations,
  cause: error.cause instanceof Error ? error.cause.message : error.cause,
});

describe('toWireError / fromWireError', () => {
  it('round-trips a StratusError with context, violations and a cause, over JSON and a port', async () => {
    const original = new StratusError(
      'INVALID_VERSION_SPEC',
      { detail: 'deploymentUri: is required', attempt: 2, strict: true, unset: undefined },
      {
        cause: new Error('sourceJob has no model'),
        violations: [
          { field: 'deploymentUri', description: 'is required' },
          { field: 'sourceJob', description: 'has no model' },
        ],
      },
    );
    const wire = toWireError(original);
    expect(wire).toEqual({
      reason: 'INVALID_VERSION_SPEC',
      message: 'Invalid version: deploymentUri: is required',
      context: { detail: 'deploymentUri: is required', attempt: 2, strict: true },
      retryable: false,
      violations: [
        { field: 'deploymentUri', description: 'is required' },
        { field: 'sourceJob', description: 'has no model' },
      ],
      cause: 'sourceJob has no model',
    });
    for (const received of [overJson(wire), await overPort(wire)]) {
      const rebuilt = fromWireError(received);
      expect(rebuilt).toBeInstanceOf(StratusError);
      expect(shape(rebuilt)).toEqual({
        reason: 'INVALID_VERSION_SPEC',
        message: 'Invalid version: deploymentUri: is required',
        context: { detail: 'deploymentUri: is required', attempt: 2, strict: true },
        retryable: false,
        httpStatus: 400,
        violations: [
          { field: 'deploymentUri', description: 'is required' },
          { field: 'sourceJob', description: 'has no model' },
        ],
        cause: 'sourceJob has no model',
      });
    }
  });

  it('keeps a retryable code retryable and a template placeholder whose context was unset', () => {
    const original = new StratusError('STORAGE_ERROR', { op: 'read', uri: 'gs://b/o' });
    const rebuilt = fromWireError(overJson(toWireError(original)));
    expect(shape(rebuilt)).toEqual({
      reason: 'STORAGE_ERROR',
      message: 'Storage operation read on gs://b/o failed: {detail}',
      context: { op: 'read', uri: 'gs://b/o' },
      retryable: true,
      httpStatus: 500,
      violations: [],
      cause: undefined,
    });
  });

  it('keeps a field error built by fieldError', () => {
    const rebuilt = fromWireError(
      overJson(toWireError(fieldError('PERMISSION_DENIED', 'jobDir', 'is not granted'))),
    );
    expect([rebuilt.reason, rebuilt.message, rebuilt.violations]).toEqual([
      'PERMISSION_DENIED',
      'Permission denied: jobDir: is not granted',
      [{ field: 'jobDir', description: 'is not granted' }],
    ]);
  });

  it('keeps a per-instance retryability that differs from the code', () => {
    const original = new StratusError('INTERNAL', { detail: 'disk full' }, { retryable: false });
    expect(fromWireError(overJson(toWireError(original))).retryable).toBe(false);
  });

  it('turns a plain Error into INTERNAL naming its message and cause, not retryable', async () => {
    const wire = toWireError(new TypeError('x is undefined', { cause: 'bad row 3' }));
    expect(wire).toEqual({
      message: 'x is undefined',
      context: {},
      retryable: false,
      violations: [],
      cause: 'bad row 3',
    });
    const rebuilt = fromWireError(await overPort(wire));
    expect(shape(rebuilt)).toEqual({
      reason: 'INTERNAL',
      message: 'Internal error: x is undefined',
      context: { detail: 'x is undefined' },
      retryable: false,
      httpStatus: 500,
      violations: [],
      cause: 'bad row 3',
    });
  });

  it.each([
    ['a string', 'no model here', 'no model here'],
    ['a number', 42, 'Non-error thrown: 42'],
    ['an object', { code: 7 }, 'Non-error thrown: {"code":7}'],
    ['undefined', undefined, 'Non-error thrown: undefined'],
  ])('turns %s thrown into INTERNAL naming it', (_, thrownValue, message) => {
    const wire = toWireError(thrownValue);
    expect(wire).toEqual({ message, context: {}, retryable: false, violations: [] });
    const rebuilt = fromWireError(overJson(wire));
    expect([rebuilt.reason, rebuilt.message, rebuilt.retryable]).toEqual([
      'INTERNAL',
      `Internal error: ${message}`,
      false,
    ]);
  });

  it('reads a reason this build does not know as INTERNAL naming the message', () => {
    const wire = {
      ...toWireError(new Error('boom')),
      reason: 'toString',
    } as unknown as WireStratusError;
    expect([fromWireError(wire).reason, fromWireError(wire).message]).toEqual([
      'INTERNAL',
      'Internal error: boom',
    ]);
  });
});
