import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ErrorCode } from '@stratus/spec';
import { isStratusError } from '@stratus/spec';
import type { Storage } from './types.js';

/** Backend deviations a conformance run declares; each one is documented in README.md. */
export interface ConformanceQuirks {
  /**
   * The firebase-tools emulator repeats every delimiter prefix on every page
   * and counts only objects towards `pageSize`; real GCS pages them together.
   */
  readonly prefixesRepeatOnEveryPage?: boolean;
}

/** What each conformance test gets: the storage and a fresh, unused location. */
export interface ConformanceContext {
  readonly storage: () => Storage;
  readonly bucket: string;
  /** `gs://<bucket>/<run>/<n>/`: a prefix no other test uses. */
  readonly freshPrefix: () => string;
  readonly quirks: ConformanceQuirks;
}

/** A bucket name unique to this test run. */
export const uniqueBucket = (): string => `stratus-conf-${randomUUID().slice(0, 12)}`;

const MIB = 1024 * 1024;

/** Deterministic pseudo-random bytes (xorshift32), generated chunk by chunk. */
export function* seededChunks(
  seed: number,
  totalBytes: number,
  chunkBytes = MIB,
): Generator<Buffer> {
  let state = seed >>> 0 || 0x9e3779b9;
  for (let produced = 0; produced < totalBytes;) {
    const size = Math.min(chunkBytes, totalBytes - produced);
    const chunk = Buffer.allocUnsafe(size + 3);
    for (let offset = 0; offset < size; offset += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      chunk.writeUInt32LE(state >>> 0, offset);
    }
    produced += size;
    yield chunk.subarray(0, size);
  }
}

/** Hex sha256 of a byte stream. */
export const sha256 = async (
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<string> => {
  const hash = createHash('sha256');
  for await (const chunk of source) hash.update(chunk);
  return hash.digest('hex');
};

/** Assert a promise rejects with a StratusError of `reason` whose message contains `fragment`. */
export const expectStratusError = async (
  promise: Promise<unknown>,
  reason: ErrorCode,
  fragment: string,
): Promise<void> => {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isStratusError(error), `expected a StratusError ${reason}, got ${String(error)}`).toBe(
    true,
  );
  expect((error as { reason: string }).reason).toBe(reason);
  expect((error as Error).message).toContain(fragment);
};
