/**
 * A worker thread of a data-parallel trial (parallel-fit.ts): builds the trial's model on its
 * own wasm backend, then, for every step the main thread starts, loads the published weights,
 * computes loss and gradient on its shard of the batch and reports done. It blocks in
 * `Atomics.wait` between steps and exits on STOP.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { tf } from '@stratus/bundle';
import { selectTrainingBackend } from '../../backend/select-training-backend.js';
import { SeededRandomScope, mixSeed } from '../seeded-random.js';
import { computeShard, loadWeights, stepModel } from './shard-gradients.js';
import { CONTROL, STOP, sharedViews, type SharedTraining } from './shared-training.js';

/** What the main thread hands a gradient thread when it starts it. */
export interface GradientThreadData {
  readonly shared: SharedTraining;
  /** This thread's shard index (1..threads-1; the main thread is 0). */
  readonly index: number;
  /** The trial's seed: dropout masks draw from (seed, thread, epoch). */
  readonly seed: number;
  /** `model.toJSON()` of the trial's model. */
  readonly topology: string;
  readonly loss: string | string[];
  readonly metrics: string[];
}

export type GradientThreadMessage =
  { readonly type: 'ready' } | { readonly type: 'failed'; readonly message: string };

const data = workerData as GradientThreadData;
const post = (message: GradientThreadMessage): void => parentPort?.postMessage(message);

async function prepare(): Promise<ReturnType<typeof stepModel>> {
  await selectTrainingBackend('wasm');
  const model = await tf.models.modelFromJSON(JSON.parse(data.topology) as tf.io.ModelJSON);
  // The optimizer is never used here: the main thread applies the step.
  model.compile({ optimizer: 'sgd', loss: data.loss, metrics: data.metrics });
  return stepModel(model);
}

function serve(step: ReturnType<typeof stepModel>): void {
  const views = sharedViews(data.shared);
  const { control } = views;
  const random = new SeededRandomScope(mixSeed(data.seed, data.index));
  let epoch = -1;
  let seen = 0;
  for (;;) {
    Atomics.wait(control, CONTROL.generation, seen);
    seen = Atomics.load(control, CONTROL.generation);
    if (Atomics.load(control, CONTROL.command) === STOP) return;
    try {
      const stepEpoch = Atomics.load(control, CONTROL.epoch);
      if (stepEpoch !== epoch) {
        epoch = stepEpoch;
        random.reseed(epoch + 1);
      }
      loadWeights(step, views.weights);
      computeShard(step, views, data.index);
    } catch (error) {
      Atomics.store(control, CONTROL.failed, data.index + 1);
      post({ type: 'failed', message: (error as Error).message });
    }
    Atomics.add(control, CONTROL.done, 1);
    Atomics.notify(control, CONTROL.done);
    if (Atomics.load(control, CONTROL.failed) === data.index + 1) return;
  }
}

try {
  const step = await prepare();
  post({ type: 'ready' });
  serve(step);
} catch (error) {
  post({ type: 'failed', message: (error as Error).message });
}
