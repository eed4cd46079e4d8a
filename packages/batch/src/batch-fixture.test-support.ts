import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStratusError, type ErrorCode } from '@stratus/spec';
import { createLocalStorage, type Storage } from '@stratus/storage';
import { afterEach, beforeEach, expect } from 'vitest';
import type { PredictRows, RowOutcome } from './row-outcome.js';

/** A local-backend storage on a fresh temp dir for each test, removed afterwards. */
export const useTempStorage = (): { readonly storage: () => Storage } => {
  let home = '';
  let storage: Storage | undefined;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'stratus-batch-'));
    storage = createLocalStorage({ root: join(home, 'buckets') });
  });
  afterEach(async () => {
    await storage?.close();
    storage = undefined;
    await rm(home, { recursive: true, force: true });
  });
  return {
    storage: () => {
      if (storage === undefined) throw new Error('storage is only available inside a test');
      return storage;
    },
  };
};

/**
 * A model that sums an instance's numeric features (strings parsed as
 * numbers); a feature that is no number is that row's error, as a real
 * model's featurizer reports it. Records every batch it was given.
 */
export const summingModel = (): {
  readonly predict: PredictRows;
  readonly batches: unknown[][];
} => {
  const batches: unknown[][] = [];
  const predict: PredictRows = (instances) => {
    batches.push([...instances]);
    return Promise.resolve(
      instances.map((instance): RowOutcome => {
        const values =
          typeof instance === 'object' && instance !== null ? Object.values(instance) : [instance];
        let sum = 0;
        for (const value of values) {
          const x = typeof value === 'number' ? value : Number(value);
          if (typeof value === 'boolean' || Number.isNaN(x)) {
            return { error: `expects numbers, got ${JSON.stringify(value)}` };
          }
          sum += x;
        }
        return { prediction: { sum } };
      }),
    );
  };
  return { predict, batches };
};

/** The JSON records of an object, one per line. */
export const readRecords = async (storage: Storage, uri: string): Promise<unknown[]> => {
  const text = (await storage.read(uri)).toString('utf8');
  return text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown);
};

/** Await a promise that must reject with a StratusError of `reason` whose message holds `fragment`. */
export const expectStratusError = async (
  promise: Promise<unknown>,
  reason: ErrorCode,
  fragment: string,
): Promise<unknown> => {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isStratusError(error), `expected a StratusError ${reason}, got ${String(error)}`).toBe(
    true,
  );
  expect((error as { reason: string }).reason).toBe(reason);
  expect((error as Error).message).toContain(fragment);
  return error;
};
