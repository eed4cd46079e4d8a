import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Storage } from './types.js';
import type { ConformanceQuirks } from './conformance-fixture.test-support.js';
import { uniqueBucket } from './conformance-fixture.test-support.js';
import { listingConformance } from './conformance-listing.test-support.js';
import { objectConformance } from './conformance-objects.test-support.js';
import { transferConformance } from './conformance-transfers.test-support.js';

export type { ConformanceQuirks } from './conformance-fixture.test-support.js';

export interface ConformanceOptions {
  /** A bucket the backend can write to; by default a fresh name (local and the emulator create it). */
  readonly bucket?: string;
  readonly quirks?: ConformanceQuirks;
}

/**
 * The one behavioural contract of `Storage`, registered as vitest suites.
 * Every backend's test file calls it unchanged; each test works under its own
 * prefix of a per-run bucket, so runs and tests never see each other's objects.
 */
export const runStorageConformance = (
  name: string,
  makeStorage: () => Storage | Promise<Storage>,
  options: ConformanceOptions = {},
): void => {
  describe(`Storage conformance: ${name}`, () => {
    let storage: Storage | undefined;
    const bucket = options.bucket ?? uniqueBucket();
    const run = randomUUID().slice(0, 8);
    let counter = 0;
    beforeAll(async () => {
      storage = await makeStorage();
    });
    afterAll(async () => {
      await storage?.close();
    });
    const ctx = {
      storage: (): Storage => {
        if (storage === undefined) throw new Error('storage is not ready (beforeAll failed?)');
        return storage;
      },
      bucket,
      freshPrefix: () => `gs://${bucket}/run-${run}/t${++counter}/`,
      quirks: options.quirks ?? {},
    };
    objectConformance(ctx);
    listingConformance(ctx);
    transferConformance(ctx);
  });
};
