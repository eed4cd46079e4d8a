import type { Storage } from './types.js';
import type { GcsStorageOptions } from './gcs-client.js';
import type { LocalStorageOptions } from './local-storage.js';
import { createGcsStorage } from './gcs-storage.js';
import { createLocalStorage } from './local-storage.js';

/** Which backend to build, with its options. */
export type CreateStorageOptions =
  | ({ readonly backend: 'local' } & LocalStorageOptions)
  | ({ readonly backend: 'gcs' } & GcsStorageOptions);

/** Build the configured storage backend (`STRATUS_STORAGE`: local by default, or gcs). */
export const createStorage = (options: CreateStorageOptions): Storage =>
  options.backend === 'local' ? createLocalStorage(options) : createGcsStorage(options);
