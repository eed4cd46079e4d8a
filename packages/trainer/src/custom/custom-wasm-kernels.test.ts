import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCustomTrainer } from './run-custom-trainer.js';
import {
  REPO_ROOT,
  openTrialHarness,
  trainerTarball,
  type TrialHarness,
} from './custom-trainer.test-support.js';

// A custom trainer that trains a convolution on the worker's wasm backend: its gradient
// with respect to the filter (Conv2DBackpropFilter) exists only because the preload
// registers Stratus's wasm training kernels in the child.
const CNN_TRAINER = `
import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: 'relu' }));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
const xs = tf.randomUniform([16, 8, 8, 1]);
const ys = tf.oneHot(tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'int32'), 2);
const history = await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0 });
console.log(JSON.stringify({ backend: tf.getBackend(), loss: history.history.loss.at(-1) }));
`;

let harness: TrialHarness;
beforeAll(async () => {
  // The preload loads the kernels from the trainer's build, as on a worker.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  await promisify(execFile)(process.execPath, [tsc, '-b', 'packages/trainer'], { cwd: REPO_ROOT });
  harness = await openTrialHarness();
}, 180_000);
afterAll(async () => harness.close());

describe('custom trainers on the wasm backend', () => {
  it('train a CNN with the Stratus wasm training kernels', async () => {
    const uri = await harness.stage(
      trainerTarball({
        'package.json': JSON.stringify({ name: 'cnn', version: '1.0.0', type: 'module' }),
        'task.mjs': CNN_TRAINER,
      }),
    );
    const run = harness.trial(uri, { module: 'task.mjs', backend: 'wasm' });
    await runCustomTrainer(run.options);
    const [line] = run.stdout();
    const printed = JSON.parse(line ?? '{}') as { backend?: string; loss?: number };
    expect(printed.backend).toBe('wasm');
    expect(Number.isFinite(printed.loss)).toBe(true);
  }, 120_000);
});
