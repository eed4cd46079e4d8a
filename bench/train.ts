// bench/train: Stratus built-in trial vs a bare model.fit of the same model on the same data.
// MNIST-sized task: 784 features, 10 classes, 10,000 rows, dnn_classifier with hiddenUnits 256,128.
// The Stratus trial reads a CSV from a local bucket, reports metrics every epoch and checkpoints
// every epoch; the baseline calls model.fit on in-memory tensors with the same validation rows.
// Both run in this process on the same backend; the figure that matters is their ratio.
// Also measures image_classifier training throughput on a 28x28 PNG folder.
//   npm run bench:train            (node --import tsx --conditions=stratus-src bench/train.ts)
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { createLocalStorage } from '@stratus/storage';
import {
  DatasetCache,
  buildModel,
  runTrial,
  selectTrainingBackend,
  type TrialProgress,
  type TrialReporter,
} from '@stratus/trainer';
import { tf } from '@stratus/bundle';

interface MnistDigit {
  length: number;
  get(index: number): number[];
}
const digits = createRequire(import.meta.url)('mnist') as MnistDigit[];
const ROWS = 10_000;
const EPOCHS = Number(process.env.BENCH_EPOCHS ?? 5);
const BATCH = 64;

/** Rows of (784 pixels, digit), cycling through the digits. */
function mnistRows(count: number): Array<{ pixels: number[]; digit: number }> {
  const rows: Array<{ pixels: number[]; digit: number }> = [];
  for (let i = 0; rows.length < count; i += 1) {
    const digit = i % 10;
    const set = digits[digit];
    if (set === undefined) continue;
    rows.push({ pixels: set.get(Math.floor(i / 10) % set.length), digit });
  }
  return rows;
}

/** Throughput from progress events: epochs 2..N, so the first epoch's warm-up is excluded. */
function timingReporter(): TrialReporter & { samplesPerSecond(): number } {
  const marks: Array<{ time: number; progress: TrialProgress }> = [];
  return {
    log: () => undefined,
    metrics: () => undefined,
    progress: (progress) => marks.push({ time: performance.now(), progress }),
    samplesPerSecond: () => {
      const first = marks[0];
      const last = marks.at(-1);
      if (first === undefined || last === undefined || last === first) return 0;
      const samples = (last.progress.epoch - first.progress.epoch) * last.progress.trainSamples;
      return samples / ((last.time - first.time) / 1000);
    },
  };
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'stratus-bench-'));
  const storage = createLocalStorage({ root: join(root, 'buckets') });
  const backend = await selectTrainingBackend(
    (process.env.STRATUS_TFJS_BACKEND ?? 'wasm') as 'wasm',
  );
  const rows = mnistRows(ROWS);
  const header = [...Array.from({ length: 784 }, (_, i) => `p${i}`), 'digit'].join(',');
  const lines = rows.map(
    (row) => `${row.pixels.map((v) => Math.round(v * 255)).join(',')},${row.digit}`,
  );
  await storage.write('gs://bench/mnist.csv', [header, ...lines].join('\n'));
  const context = {
    storage,
    cache: new DatasetCache({ dir: join(root, 'cache') }),
    workRoot: join(root, 'work'),
    maxModelParams: 100_000_000,
    backend,
    parentEnv: {},
  };

  // Stratus trial.
  const trialReporter = timingReporter();
  const trial = await runTrial(
    {
      jobId: 'bench',
      trialId: '1',
      tuning: false,
      hyperparameters: {},
      trainingInput: {
        jobDir: 'gs://bench/jobs/dnn',
        builtinAlgorithm: {
          name: 'dnn_classifier',
          trainingData: 'gs://bench/mnist.csv',
          labelColumn: 'digit',
          hiddenUnits: [256, 128],
          epochs: EPOCHS,
          batchSize: BATCH,
          learningRate: 0.001,
          validationSplit: 0.2,
          seed: 1,
        },
      },
    },
    { ...context, reporter: trialReporter },
  );

  // Bare model.fit: the same model shape, the same split sizes, tensors built directly.
  const trainCount = Math.round(ROWS * 0.8);
  const xs = tf.tensor2d(rows.map((row) => row.pixels));
  const ys = tf.oneHot(
    tf.tensor1d(
      rows.map((row) => row.digit),
      'int32',
    ),
    10,
  );
  const [trainX, valX] = tf.split(xs, [trainCount, ROWS - trainCount]);
  const [trainY, valY] = tf.split(ys, [trainCount, ROWS - trainCount]);
  const model = buildModel({
    kind: 'dnn',
    task: 'classification',
    inputShape: [784],
    classes: 10,
    hiddenUnits: [256, 128],
    dropout: 0,
    l2: 0,
    learningRate: 0.001,
    optimizer: 'adam',
  });
  const bareMarks: number[] = [];
  await model.fit(trainX as tf.Tensor, trainY as tf.Tensor, {
    epochs: EPOCHS,
    batchSize: BATCH,
    shuffle: true,
    verbose: 0,
    validationData: [valX as tf.Tensor, valY as tf.Tensor],
    callbacks: { onEpochEnd: () => void bareMarks.push(performance.now()) },
  });
  const bareSamplesPerSecond =
    ((bareMarks.length - 1) * trainCount) /
    (((bareMarks.at(-1) ?? 0) - (bareMarks[0] ?? 0)) / 1000);
  tf.dispose([xs, ys, trainX, trainY, valX, valY]);
  model.dispose();

  // image_classifier on a PNG folder.
  const images = mnistRows(2000);
  for (const [index, row] of images.entries()) {
    const png = new PNG({ width: 28, height: 28 });
    row.pixels.forEach((v, i) => {
      const byte = Math.round(v * 255);
      png.data[i * 4] = byte;
      png.data[i * 4 + 1] = byte;
      png.data[i * 4 + 2] = byte;
      png.data[i * 4 + 3] = 255;
    });
    await storage.write(`gs://bench/images/${row.digit}/${index}.png`, PNG.sync.write(png));
  }
  const imageReporter = timingReporter();
  await runTrial(
    {
      jobId: 'bench',
      trialId: '2',
      tuning: false,
      hyperparameters: {},
      trainingInput: {
        jobDir: 'gs://bench/jobs/cnn',
        builtinAlgorithm: {
          name: 'image_classifier',
          trainingData: 'gs://bench/images/',
          epochs: 3,
          batchSize: BATCH,
          seed: 1,
        },
      },
    },
    { ...context, reporter: imageReporter },
  );

  await storage.close();
  await rm(root, { recursive: true, force: true });
  const stratus = trialReporter.samplesPerSecond();
  console.log(
    JSON.stringify({
      bench: 'train',
      backend: backend.name,
      simd: backend.simd ?? null,
      rows: ROWS,
      epochs: EPOCHS,
      dnnStratusSamplesPerSecond: Math.round(stratus),
      dnnBareFitSamplesPerSecond: Math.round(bareSamplesPerSecond),
      ratio: Number((stratus / bareSamplesPerSecond).toFixed(3)),
      dnnValAccuracy: Number((trial.objective ?? 0).toFixed(4)),
      imageClassifierSamplesPerSecond: Math.round(imageReporter.samplesPerSecond()),
    }),
  );
}

await main();
