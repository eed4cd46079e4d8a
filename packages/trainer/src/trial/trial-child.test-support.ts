/**
 * A trial in its own process, for tests that kill it: run with
 * `node --import tsx --conditions=stratus-src trial-child.test-support.ts <bucketsRoot> <cacheDir> <specJson>`.
 * Prints one JSON line per epoch and a final `{"result": ...}` line.
 */
import { createLocalStorage } from '@stratus/storage';
import { selectTrainingBackend } from '../backend/select-training-backend.js';
import { DatasetCache } from '../data/dataset-cache.js';
import { runTrial } from './run-trial.js';
import type { TrialSpec } from './trial-spec.js';

const [bucketsRoot = '', cacheDir = '', specJson = '{}'] = process.argv.slice(2);
const spec = JSON.parse(specJson) as TrialSpec;
const storage = createLocalStorage({ root: bucketsRoot });
const backend = await selectTrainingBackend('wasm');
const result = await runTrial(spec, {
  storage,
  cache: new DatasetCache({ dir: cacheDir }),
  backend,
  workRoot: cacheDir,
  maxModelParams: 100_000_000,
  parentEnv: {},
  reporter: {
    log: () => undefined,
    metrics: (step) => process.stdout.write(`${JSON.stringify({ epoch: step })}\n`),
    progress: () => undefined,
  },
});
process.stdout.write(`${JSON.stringify({ result })}\n`);
await storage.close();
