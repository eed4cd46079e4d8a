// bench/train-profile: where one training step of the MLP 784-256-128-10 and of the
// image_classifier CNN goes on the wasm backend. Every wasm kernel is wrapped with a timer
// (wasm kernels run synchronously, so a call's wall time is its cost), then one `model.fit`
// epoch runs on random rows (batch 64, Adam, accuracy metric, as the trial compiles it) and
// the per-epoch validation (the trial's `evaluate`, 2,000 rows) and a checkpoint are timed
// on their own. Prints one JSON line per model: ms per step by kernel, the step's time outside
// kernels (tfjs-layers and engine JavaScript), and validation and checkpoint ms per epoch.
//   node --import tsx --conditions=stratus-src bench/train-profile.ts   (BENCH_ROWS=4000)
import { loadavg, tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tf } from '@stratus/bundle';
import { createLocalStorage } from '@stratus/storage';
import {
  CheckpointStore,
  buildModel,
  evaluate,
  selectTrainingBackend,
  type ModelOptions,
} from '@stratus/trainer';

const ROWS = Number(process.env.BENCH_ROWS ?? 4000);
const VAL_ROWS = 2000;
const BATCH = 64;

const timings = new Map<string, { ms: number; calls: number }>();
let depth = 0;

/** Wraps every registered wasm kernel so its top-level calls add to `timings`. */
function timeKernels(): void {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        depth += 1;
        const start = performance.now();
        try {
          return inner(args);
        } finally {
          depth -= 1;
          if (depth === 0) {
            const entry = timings.get(config.kernelName) ?? { ms: 0, calls: 0 };
            entry.ms += performance.now() - start;
            entry.calls += 1;
            timings.set(config.kernelName, entry);
          }
        }
      },
    });
  }
}

const MODELS: Record<
  string,
  Omit<ModelOptions, 'task' | 'classes' | 'dropout' | 'l2' | 'optimizer'>
> = {
  mlp: { kind: 'dnn', inputShape: [784], hiddenUnits: [256, 128], learningRate: 0.001 },
  cnn: { kind: 'cnn', inputShape: [28, 28, 1], hiddenUnits: [64], learningRate: 0.001 },
};

async function profile(name: string, root: string): Promise<void> {
  const options: ModelOptions = {
    ...MODELS[name]!,
    task: 'classification',
    classes: 10,
    dropout: 0,
    l2: 0,
    optimizer: 'adam',
  };
  const model = buildModel(options);
  const rows = (n: number) => [
    tf.randomUniform([n, ...options.inputShape]),
    tf.oneHot(tf.randomUniform([n], 0, 10, 'int32'), 10).toFloat(),
  ];
  const [xs, ys] = rows(ROWS) as [tf.Tensor, tf.Tensor];
  const [valX, valY] = rows(VAL_ROWS) as [tf.Tensor, tf.Tensor];
  const fitEpoch = () =>
    model.fit(xs, ys, { epochs: 1, batchSize: BATCH, shuffle: true, verbose: 0 });
  await fitEpoch();
  timings.clear();
  const start = performance.now();
  await fitEpoch();
  const epochMs = performance.now() - start;
  const steps = Math.ceil(ROWS / BATCH);
  const kernels = Object.fromEntries(
    [...timings.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([kernel, t]) => [
        kernel,
        { msPerStep: +(t.ms / steps).toFixed(3), callsPerStep: +(t.calls / steps).toFixed(1) },
      ]),
  );
  const kernelMs = [...timings.values()].reduce((sum, t) => sum + t.ms, 0);

  timings.clear();
  const valStart = performance.now();
  await evaluate(
    model,
    { kind: 'tensors', xs: valX, ys: valY, count: VAL_ROWS },
    { kind: 'classification' },
  );
  const validationMs = performance.now() - valStart;
  const validationKernels = Object.fromEntries(
    [...timings.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 8)
      .map(([kernel, t]) => [kernel, +t.ms.toFixed(1)]),
  );
  const storage = createLocalStorage({ root: join(root, name) });
  const checkpointStart = performance.now();
  await new CheckpointStore(storage, 'gs://bench/trial').save(model, { epoch: 1, history: [] });
  const checkpointMs = performance.now() - checkpointStart;
  await storage.close();
  tf.dispose([xs, ys, valX, valY]);
  model.dispose();
  console.log(
    JSON.stringify({
      model: name,
      samplesPerSecond: Math.round((ROWS * 1000) / epochMs),
      msPerStep: +(epochMs / steps).toFixed(3),
      kernelMsPerStep: +(kernelMs / steps).toFixed(3),
      outsideKernelsMsPerStep: +((epochMs - kernelMs) / steps).toFixed(3),
      validationMsPerEpoch: Math.round(validationMs),
      checkpointMsPerEpoch: Math.round(checkpointMs),
      validationKernelsMs: validationKernels,
      loadAverage1m: loadavg()[0],
      kernels,
    }),
  );
}

await selectTrainingBackend('wasm');
timeKernels();
const root = await mkdtemp(join(tmpdir(), 'stratus-profile-'));
for (const name of process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(MODELS)) {
  await profile(name, root);
}
await rm(root, { recursive: true, force: true });
