import { describe, expect, it } from 'vitest';
import { StratusError } from '@stratus/spec';
import { toStorageError } from './storage-errors.js';
import { classifyGcsError } from './gcs-errors.js';
import { classifyFsError } from './local-errors.js';

describe('toStorageError', () => {
  it('maps each kind to its reason, naming the operation and URI', () => {
    const cause = new Error('boom');
    const notFound = toStorageError(cause, 'not-found', 'read', 'gs://abc/x') as StratusError;
    expect([notFound.reason, notFound.message, notFound.cause]).toEqual([
      'OBJECT_NOT_FOUND',
      'Object gs://abc/x not found',
      cause,
    ]);
    const unavailable = toStorageError(cause, 'unavailable', 'list', 'gs://abc/') as StratusError;
    expect([unavailable.reason, unavailable.message, unavailable.retryable]).toEqual([
      'STORAGE_UNAVAILABLE',
      'Storage is unavailable: list gs://abc/: boom',
      true,
    ]);
    const other = toStorageError('odd', 'error', 'copy', 'gs://abc/y') as StratusError;
    expect([other.reason, other.message]).toEqual([
      'STORAGE_ERROR',
      'Storage operation copy on gs://abc/y failed: odd',
    ]);
  });

  it('passes StratusErrors and caller aborts through unchanged', () => {
    const stratus = new StratusError('INVALID_STORAGE_URI', { uri: 'x', detail: 'y' });
    expect(toStorageError(stratus, 'error', 'read', 'x')).toBe(stratus);
    const abort = new DOMException('stop', 'AbortError');
    expect(toStorageError(abort, 'error', 'write', 'x')).toBe(abort);
  });
});

describe('classifyGcsError', () => {
  it.each([
    [{ code: 404 }, 'not-found'],
    [{ code: 503 }, 'unavailable'],
    [{ code: 429 }, 'unavailable'],
    [{ code: 'ECONNREFUSED' }, 'unavailable'],
    [{ code: 'econnreset' }, 'unavailable'],
    [{ type: 'request-timeout' }, 'unavailable'],
    [{ code: 403 }, 'error'],
    [{ code: 500 }, 'error'],
    [new Error('plain'), 'error'],
    [undefined, 'error'],
  ])('classifies %j as %s', (error, kind) => {
    expect(classifyGcsError(error)).toBe(kind);
  });
});

describe('classifyFsError', () => {
  it.each([
    ['ENOENT', 'not-found'],
    ['ENOTDIR', 'not-found'],
    ['EISDIR', 'not-found'],
    ['EMFILE', 'unavailable'],
    ['EACCES', 'error'],
    ['ENOSPC', 'error'],
  ])('classifies %s as %s', (code, kind) => {
    expect(classifyFsError(Object.assign(new Error(code), { code }))).toBe(kind);
  });
});
