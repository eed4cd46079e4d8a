import { Readable } from 'node:stream';
import { isStratusError } from '@stratus/spec';
import type { Storage } from './types.js';
import { listAllPages } from './list-paging.js';
import { collectBytes, sliceIntoChunks } from './progress.js';
import { parseStoragePrefixUri } from './uri.js';

/** What a backend implements; `completeStorage` derives the rest the same way for all. */
export type StorageCore = Omit<Storage, 'read' | 'write' | 'listAll' | 'exists'>;

/** Add the whole-object and convenience methods, built on a backend's streaming primitives. */
export const completeStorage = (core: StorageCore): Storage => ({
  ...core,
  read: async (uri, options) => collectBytes(core.createReadStream(uri, options)),
  write: (uri, data, options = {}) =>
    core.writeStream(uri, Readable.from(sliceIntoChunks(data)), {
      size: Buffer.byteLength(data),
      ...options,
    }),
  listAll: (prefixUri) => {
    parseStoragePrefixUri(prefixUri);
    return listAllPages((uri, options) => core.list(uri, options), prefixUri);
  },
  exists: async (uri) => {
    try {
      await core.stat(uri);
      return true;
    } catch (error) {
      if (isStratusError(error) && error.reason === 'OBJECT_NOT_FOUND') return false;
      throw error;
    }
  },
});
