import { lstat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StratusError } from '@stratus/spec';
import type { FailureKind } from './storage-errors.js';
import { nameOfPath } from './local-paths.js';

const NOT_FOUND = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const UNAVAILABLE = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ETIMEDOUT']);

/** The errno code of a Node system error, if any. */
export const errnoCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/** Classify a filesystem error for `toStorageError`: a missing file or folder is "not found". */
export const classifyFsError = (error: unknown): FailureKind => {
  const code = errnoCode(error) ?? '';
  if (NOT_FOUND.has(code)) return 'not-found';
  return UNAVAILABLE.has(code) ? 'unavailable' : 'error';
};

/** Whether an error from mkdir/rename means a file and a folder want the same path. */
export const isNameConflict = (error: unknown): boolean =>
  ['ENOTDIR', 'EEXIST', 'EISDIR', 'ENOTEMPTY'].includes(errnoCode(error) ?? '');

/**
 * OBJECT_NAME_CONFLICT naming the clash: unlike GCS, a directory tree cannot
 * hold both an object `a` and an object `a/b`.
 */
export const nameConflict = async (
  bucketPath: string,
  file: string,
  uri: string,
): Promise<StratusError> => {
  const target = await lstat(file).catch(() => undefined);
  if (target?.isDirectory() === true) {
    const name = nameOfPath(bucketPath, file);
    return new StratusError('OBJECT_NAME_CONFLICT', {
      uri,
      detail: `"${name}/" holds other objects, so "${name}" cannot be an object on the local backend`,
    });
  }
  for (let dir = dirname(file); dir.length > bucketPath.length; dir = dirname(dir)) {
    const stats = await lstat(dir).catch(() => undefined);
    if (stats !== undefined && !stats.isDirectory()) {
      const name = nameOfPath(bucketPath, dir);
      return new StratusError('OBJECT_NAME_CONFLICT', {
        uri,
        detail: `"${name}" is an object, so it cannot also be a folder on the local backend`,
      });
    }
  }
  return new StratusError('OBJECT_NAME_CONFLICT', {
    uri,
    detail: 'a file or folder already occupies its path',
  });
};
