import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { isStratusError } from '@stratus/spec';
import { createLocalStorage, type Storage } from '@stratus/storage';
import type { DataOptions, PreparedData } from './data-options.js';
import { DatasetCache } from './dataset-cache.js';
import { prepareData } from './prepare-data.js';

/** A local bucket, a dataset cache, and storage calls counted. */
export interface DataFixture {
  readonly storage: Storage;
  readonly cache: DatasetCache;
  readonly root: string;
  /** Objects read so far (read + createReadStream), by URI. */
  readonly reads: Map<string, number>;
  /** `gs://data/<name>` */
  uri(name: string): string;
  put(name: string, data: Uint8Array | string): Promise<string>;
  prepare(
    options: Omit<DataOptions, 'trainingData'> & { trainingData: string },
  ): Promise<PreparedData>;
  cleanup(): Promise<void>;
}

/** Storage that counts object reads, to see what the cache saved. */
function counting(storage: Storage, reads: Map<string, number>): Storage {
  const count = (uri: string): void => {
    reads.set(uri, (reads.get(uri) ?? 0) + 1);
  };
  return Object.assign(Object.create(storage) as Storage, {
    read: (uri: string, options?: Parameters<Storage['read']>[1]) => {
      count(uri);
      return storage.read(uri, options);
    },
    createReadStream: (uri: string, options?: Parameters<Storage['createReadStream']>[1]) => {
      count(uri);
      return storage.createReadStream(uri, options);
    },
  });
}

export async function dataFixture(): Promise<DataFixture> {
  const root = await mkdtemp(join(tmpdir(), 'stratus-data-'));
  const base = createLocalStorage({ root: join(root, 'buckets') });
  const reads = new Map<string, number>();
  const storage = counting(base, reads);
  const cache = new DatasetCache({ dir: join(root, 'cache') });
  const uri = (name: string): string => `gs://data/${name}`;
  return {
    storage,
    cache,
    root,
    reads,
    uri,
    put: async (name, data) => (await base.write(uri(name), data)).uri,
    prepare: (options) => prepareData(options, { storage, cache }),
    cleanup: async () => {
      await base.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Assert a DATASET_INVALID (or other reason) whose message contains every fragment. */
export async function expectDataError(
  promise: Promise<unknown>,
  fragments: readonly string[],
  reason = 'DATASET_INVALID',
): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isStratusError(error), `expected a StratusError, got ${String(error)}`).toBe(true);
  if (!isStratusError(error)) return '';
  expect(error.reason).toBe(reason);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error.message;
}

/** Column `c` of a row-major matrix with `width` columns. */
export function column(values: Float32Array, width: number, c: number): number[] {
  const out: number[] = [];
  for (let i = c; i < values.length; i += width) out.push(values[i] as number);
  return out;
}

export const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
export const std = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
};
