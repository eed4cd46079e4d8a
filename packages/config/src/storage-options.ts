import type { StratusConfig } from './config.js';

/**
 * Options for `@stratus/storage`'s `createStorage`, structurally its
 * `CreateStorageOptions` (config does not depend on storage).
 */
export type StorageSelection =
  | { readonly backend: 'local'; readonly root: string }
  | { readonly backend: 'gcs'; readonly projectId?: string; readonly emulatorHost?: string };

/** The storage backend the config names (`STRATUS_STORAGE`), with its options. */
export const storageOptionsFromConfig = (
  config: Pick<StratusConfig, 'storage' | 'bucketsRoot' | 'storageEmulatorHost' | 'gcsProjectId'>,
): StorageSelection =>
  config.storage === 'local'
    ? { backend: 'local', root: config.bucketsRoot }
    : {
        backend: 'gcs',
        ...(config.gcsProjectId === undefined ? {} : { projectId: config.gcsProjectId }),
        ...(config.storageEmulatorHost === undefined
          ? {}
          : { emulatorHost: config.storageEmulatorHost }),
      };
