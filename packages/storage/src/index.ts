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
