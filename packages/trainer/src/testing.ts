/**
 * Test fixtures other packages' tests reuse (`@stratus/trainer/testing`):
 * Iris and Boston CSVs in a local bucket with the wasm backend, and MNIST
 * digits from the `mnist` package. Test-only: it is not built (the export points at this
 * source), so import it from tests run by vitest or tsx.
 */
export {
  BOSTON_URI,
  IRIS_URI,
  bostonCsv,
  irisCsv,
  trialFixture,
  trialSpec,
  type TrialFixture,
} from './trial/trial-fixture.test-support.js';
// The 1M-row table of large-csv.test.ts, for bench/csv.
export { generatedCsv } from './data/large-csv.test-support.js';
export { mnistPixels, mnistPng, writeMnistFolder } from './data/mnist-folder.test-support.js';
// The same runTrial the fixture's context is typed for (this module resolves to source).
export { runTrial } from './trial/run-trial.js';
// A seeded generator for tests that draw random inputs (a failure replays with its seed).
export { mulberry32 } from './training/seeded-random.js';
