export type {
  ListOptions,
  ListPage,
  ObjectStat,
  Progress,
  ReadOptions,
  Storage,
  TransferOptions,
  WriteOptions,
} from './types.js';
export type { CreateStorageOptions } from './create-storage.js';
export type { GcsStorageOptions } from './gcs-client.js';
export type { LocalStorageOptions } from './local-storage.js';
export type { ObjectLocation, PrefixLocation } from './uri.js';
export { createStorage } from './create-storage.js';
export { createGcsStorage } from './gcs-storage.js';
export { createLocalStorage } from './local-storage.js';
export { formatStorageUri, parseStoragePrefixUri, parseStorageUri } from './uri.js';
export { compareNames } from './list-paging.js';
