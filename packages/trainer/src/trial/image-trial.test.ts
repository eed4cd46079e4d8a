import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundle, predictInstances } from '@stratus/bundle';
import { mnistPixels, writeMnistFolder } from '../data/mnist-folder.test-support.js';
import { runTrial } from './run-trial.js';
import { trialFixture, trialSpec, type TrialFixture } from './trial-fixture.test-support.js';

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const PER_DIGIT = 300;

let fixture: TrialFixture;
beforeAll(async () => {
  fixture = await trialFixture();
  await writeMnistFolder(fixture.storage, 'gs://demo/mnist/', DIGITS, PER_DIGIT);
}, 120_000);
afterAll(async () => fixture.cleanup());

describe('image_classifier on wasm', () => {
  it('reaches ≥ 0.90 validation accuracy on a 3,000-image MNIST PNG folder', async () => {
    const context = fixture.context();
    const result = await runTrial(
      trialSpec({
        jobDir: 'gs://demo/jobs/mnist_1',
        builtinAlgorithm: {
          name: 'image_classifier',
          trainingData: 'gs://demo/mnist/',
          // Three epochs reach 0.957 with this seed (0.90, 0.94, 0.96 by epoch); eight at
          // 0.002 reached 0.962 for more than twice the time.
          epochs: 3,
          batchSize: 32,
          learningRate: 0.003,
          seed: 1,
        },
      }),
      context,
    );
    const progress = context.reporter.recorded.progress;
    console.log(
      JSON.stringify({
        val_accuracy: result.objective,
        samplesPerSecond: Math.round(result.samplesPerSecond),
        epochs: progress.length,
      }),
    );
    expect(result.metricTag).toBe('val_accuracy');
    expect(result.objective).toBeGreaterThanOrEqual(0.9);

    const bundle = await loadBundle(fixture.storage, result.modelDir, { maxParams: 100_000_000 });
    const pixels = mnistPixels(7, PER_DIGIT + 5);
    const [prediction] = (await predictInstances(bundle, [{ image: pixels }])) as Array<{
      label: string;
    }>;
    expect(prediction?.label).toBe('7');
    bundle.model.dispose();
  }, 300_000);
});
