import { fieldError, isStratusError } from '@stratus/spec';
import {
  compareNames,
  parseStoragePrefixUri,
  parseStorageUri,
  type Storage,
} from '@stratus/storage';

/** One input object a batch prediction job reads. */
export interface InputObject {
  readonly uri: string;
  readonly size: number;
}

const fieldOf = (index: number): string => `predictionInput.inputPaths[${index}]`;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `*` matches any run of characters within one path segment (never a `/`). */
const wildcardPattern = (path: string): RegExp =>
  new RegExp(`^${path.split('*').map(escapeRegExp).join('[^/]*')}$`);

/** The storage layer's own message (INVALID_STORAGE_URI's detail) for a refused URI. */
const uriProblem = (error: unknown): string =>
  isStratusError(error) ? String(error.context['detail'] ?? error.message) : String(error);

const checkUri = (path: string, index: number): void => {
  // Storage knows no wildcards: check the URI with each `*` stood in for by a plain character.
  try {
    parseStorageUri(path.replaceAll('*', 'x'));
  } catch (error) {
    throw fieldError('INVALID_JOB_SPEC', fieldOf(index), `"${path}" ${uriProblem(error)}`);
  }
  if (path.slice('gs://'.length).split('/')[0]?.includes('*') === true) {
    throw fieldError(
      'INVALID_JOB_SPEC',
      fieldOf(index),
      `"${path}": a wildcard may not appear in the bucket name`,
    );
  }
};

const matchingObjects = async (
  storage: Storage,
  path: string,
  index: number,
): Promise<InputObject[]> => {
  checkUri(path, index);
  const star = path.indexOf('*');
  if (star === -1) {
    try {
      const stat = await storage.stat(path);
      return [{ uri: stat.uri, size: stat.size }];
    } catch (error) {
      if (isStratusError(error) && error.reason === 'OBJECT_NOT_FOUND') return [];
      throw error;
    }
  }
  const prefix = path.slice(0, star);
  parseStoragePrefixUri(prefix);
  const pattern = wildcardPattern(path);
  const found: InputObject[] = [];
  for await (const stat of storage.listAll(prefix)) {
    if (pattern.test(stat.uri)) found.push({ uri: stat.uri, size: stat.size });
  }
  return found;
};

/**
 * Expand a job's `inputPaths` (`*` wildcards within a path segment) into the
 * objects they name: sorted by name, each once. Throws INVALID_JOB_SPEC naming
 * `predictionInput.inputPaths[i]` for a malformed URI or one matching no object.
 */
export const expandInputPaths = async (
  storage: Storage,
  inputPaths: readonly string[],
): Promise<InputObject[]> => {
  const byUri = new Map<string, InputObject>();
  for (const [index, path] of inputPaths.entries()) {
    const found = await matchingObjects(storage, path, index);
    if (found.length === 0) {
      throw fieldError('INVALID_JOB_SPEC', fieldOf(index), `no object matches "${path}"`);
    }
    for (const object of found) byUri.set(object.uri, object);
  }
  return [...byUri.values()].sort((a, b) => compareNames(a.uri, b.uri));
};
