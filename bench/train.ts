// bench/train: the built-in trial against its peers, in one run with alternating rounds, for the
// MLP (dnn_classifier 784-256-128-10 on 10,000 MNIST rows from a CSV) and the image_classifier
// CNN (2,000 MNIST digits as 28x28 PNGs), batch 64, Adam:
//   (a) stratus: a Stratus trial through `runTrial` on `selectTrainingBackend`'s backend, reading
//       from a local bucket, reporting metrics, validating and checkpointing every epoch;
//   (b) bare:    `model.fit` of the same model on the same backend with the trial's own training
//       and validation rows (from `prepareData`), validated every epoch at the trial's
//       evaluation batch (1,024);
//   (c) torch:   the same model in PyTorch on the same rows, one thread (bench/train-torch.py),
//       when /usr/bin/python3 has torch (Debian python3-torch; this bench never installs it);
//   (d) threads: for the MLP, the Stratus trial again on N threads (STRATUS_TRIAL_THREADS,
//       N = BENCH_THREADS or os.availableParallelism()), data-parallel on the wasm backend.
// Samples/s over epochs 2..N (the first epoch's warm-up excluded), median over rounds.
//   npm run bench:train      (BENCH_ROUNDS=2, BENCH_EPOCHS=5 MLP, BENCH_CNN_EPOCHS=3,
//                             BENCH_TASKS=mlp,cnn)
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { resolveBuiltinParams, type BuiltinAlgorithm } from '@stratus/spec';
import { createLocalStorage } from '@stratus/storage';
import {
  DatasetCache,
  buildModel,
  builtinDataOptions,
  builtinModelOptions,
  prepareData,
  runTrial,
  selectTrainingBackend,
  type InMemorySplit,
  type ModelOptions,
  type TrialProgress,
  type TrialReporter,
} from '@stratus/trainer';
import { tf } from '@stratus/bundle';
import { mnistCsv, mnistRows } from './mnist-rows.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const MLP_EPOCHS = Number(process.env.BENCH_EPOCHS ?? 5);
const CNN_EPOCHS = Number(process.env.BENCH_CNN_EPOCHS ?? 3);
const THREADS = Number(process.env.BENCH_THREADS ?? availableParallelism());
const BENCH_TASKS = (process.env.BENCH_TASKS ?? 'mlp,cnn').split(',');
const BATCH = 64;
/** The trial's evaluation batch (packages/trainer/src/training/evaluate.ts). */
const EVAL_BATCH = 1024;
const PYTHON = '/usr/bin/python3';
const TORCH_SCRIPT = join(import.meta.dirname, 'train-torch.py');

type Peer = 'stratus' | 'threads' | 'bare' | 'torch';
interface Figure {
  samplesPerSecond: number;
  valAccuracy: number;
}
interface Task {
  key: 'mlp' | 'cnn';
  algorithm: BuiltinAlgorithm;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
};

/** Samples/s between the first and the last of `marks` (ms), `perEpoch` samples an epoch. */
const throughput = (marks: number[], perEpoch: number): number => {
  const first = marks[0];
  const last = marks.at(-1);
  if (first === undefined || last === undefined || marks.length < 2) return 0;
  return ((marks.length - 1) * perEpoch) / ((last - first) / 1000);
};

/** Throughput from progress events: epochs 2..N, so the first epoch's warm-up is excluded. */
function timingReporter(): TrialReporter & { samplesPerSecond(): number } {
  const marks: Array<{ time: number; progress: TrialProgress }> = [];
  return {
    log: () => undefined,
    metrics: () => undefined,
    progress: (progress) => marks.push({ time: performance.now(), progress }),
    samplesPerSecond: () =>
      throughput(
        marks.map((m) => m.time),
        marks[0]?.progress.trainSamples ?? 0,
      ),
  };
}

async function writeData(root: string): Promise<ReturnType<typeof createLocalStorage>> {
  const storage = createLocalStorage({ root: join(root, 'buckets') });
  await storage.write('gs://bench/mnist.csv', mnistCsv(10_000));
  for (const [index, row] of mnistRows(2000).entries()) {
    const png = new PNG({ width: 28, height: 28 });
    row.pixels.forEach((v, i) => {
      const byte = Math.round(v * 255);
      png.data.fill(byte, i * 4, i * 4 + 3);
      png.data[i * 4 + 3] = 255;
    });
    await storage.write(`gs://bench/images/${row.digit}/${index}.png`, PNG.sync.write(png));
  }
  return storage;
}

const TASKS: Task[] = [
  {
    key: 'mlp',
    algorithm: {
      name: 'dnn_classifier',
      trainingData: 'gs://bench/mnist.csv',
      labelColumn: 'digit',
      hiddenUnits: [256, 128],
      epochs: MLP_EPOCHS,
      batchSize: BATCH,
      learningRate: 0.001,
      validationSplit: 0.2,
      seed: 1,
    },
  },
  {
    key: 'cnn',
    algorithm: {
      name: 'image_classifier',
      trainingData: 'gs://bench/images/',
      epochs: CNN_EPOCHS,
      batchSize: BATCH,
      seed: 1,
    },
  },
];

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'stratus-bench-'));
  const storage = await writeData(root);
  const backend = await selectTrainingBackend(
    (process.env.STRATUS_TFJS_BACKEND ?? 'wasm') as 'wasm',
  );
  const cache = new DatasetCache({ dir: join(root, 'cache') });
  const context = {
    storage,
    cache,
    workRoot: join(root, 'work'),
    maxModelParams: 100_000_000,
    backend,
    parentEnv: {},
  };
  const torch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  const load = [loadavg()[0] ?? 0];
  const results: Record<string, Record<Peer, Figure[]>> = {};

  for (const task of TASKS.filter((t) => BENCH_TASKS.includes(t.key))) {
    const params = resolveBuiltinParams(task.algorithm, {});
    // The trial's own data preparation: the same rows, split and preprocessing as the trial's.
    const data = await prepareData(builtinDataOptions(params), { storage, cache });
    const { train, validation } = data;
    if (train.kind !== 'memory' || validation?.kind !== 'memory') {
      throw new Error(`${task.key}: the bench expects both splits in memory`);
    }
    const modelOptions = builtinModelOptions(params, data);
    const torchSpec = join(root, `${task.key}.json`);
    if (torch) {
      const files = {
        trainX: train.xs,
        trainY: train.ys,
        valX: validation.xs,
        valY: validation.ys,
      };
      for (const [name, array] of Object.entries(files)) {
        await writeFile(join(root, `${task.key}-${name}.f32`), Buffer.from(array.buffer));
      }
      await writeFile(
        torchSpec,
        JSON.stringify({
          ...modelOptions,
          seed: params.seed,
          epochs: params.epochs,
          batchSize: params.batchSize,
          trainRows: train.rows,
          valRows: validation.rows,
          ...Object.fromEntries(
            Object.keys(files).map((name) => [name, join(root, `${task.key}-${name}.f32`)]),
          ),
        }),
      );
    }

    const trial = async (round: number, trialThreads: number): Promise<Figure> => {
      const reporter = timingReporter();
      const result = await runTrial(
        {
          jobId: 'bench',
          trialId: '1',
          tuning: false,
          hyperparameters: {},
          // A fresh job directory each run, so no run resumes another's checkpoint.
          trainingInput: {
            jobDir: `gs://bench/jobs/${task.key}-${round}-${trialThreads}`,
            builtinAlgorithm: task.algorithm,
          },
        },
        { ...context, reporter, trialThreads },
      );
      return {
        samplesPerSecond: reporter.samplesPerSecond(),
        valAccuracy: result.objective ?? 0,
      };
    };
    const run: Record<Peer, (round: number) => Promise<Figure>> = {
      stratus: (round) => trial(round, 1),
      threads: (round) => trial(round, THREADS),
      bare: (_round) => bareFit(modelOptions, train, validation, params.epochs, params.batchSize),
      torch: async () => {
        const { stdout } = await promisify(execFile)(PYTHON, [TORCH_SCRIPT, torchSpec]);
        return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Figure;
      },
    };
    const peers: Peer[] = [
      'stratus',
      ...(task.key === 'mlp' && THREADS > 1 ? (['threads'] as const) : []),
      'bare',
      ...(torch ? (['torch'] as const) : []),
    ];
    const figures: Record<Peer, Figure[]> = { stratus: [], threads: [], bare: [], torch: [] };
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const peer of round % 2 === 0 ? peers : [...peers].reverse()) {
        figures[peer].push(await run[peer](round));
        load.push(loadavg()[0] ?? 0);
      }
    }
    results[task.key] = figures;
  }

  await storage.close();
  await rm(root, { recursive: true, force: true });
  const summary = Object.fromEntries(
    Object.entries(results).map(([key, figures]) => {
      const sps = (peer: Peer): number | null =>
        figures[peer].length === 0
          ? null
          : Math.round(median(figures[peer].map((f) => f.samplesPerSecond)));
      const ratio = (a: Peer, b: Peer): number | null => {
        const [x, y] = [sps(a), sps(b)];
        return x === null || y === null ? null : Number((x / y).toFixed(3));
      };
      return [
        key,
        {
          samplesPerSecond: {
            stratus: sps('stratus'),
            threads: sps('threads'),
            bare: sps('bare'),
            torch: sps('torch'),
          },
          threadsOverOne: ratio('threads', 'stratus'),
          stratusOverBare: ratio('stratus', 'bare'),
          stratusOverTorch: ratio('stratus', 'torch'),
          rounds: figures,
        },
      ];
    }),
  );
  console.log(
    JSON.stringify({
      bench: 'train',
      backend: backend.name,
      simd: backend.simd ?? null,
      rounds: ROUNDS,
      threads: THREADS,
      epochs: { mlp: MLP_EPOCHS, cnn: CNN_EPOCHS },
      torch,
      loadAverage1m: { min: Math.min(...load), max: Math.max(...load) },
      ...summary,
    }),
  );
}

/** `model.fit` on the trial's rows, validated each epoch at the trial's evaluation batch. */
async function bareFit(
  options: ModelOptions,
  train: InMemorySplit,
  validation: InMemorySplit,
  epochs: number,
  batchSize: number,
): Promise<Figure> {
  const trainData = train.tensors();
  const valData = validation.tensors();
  const model = buildModel(options);
  const marks: number[] = [];
  let valAccuracy = 0;
  await model.fit(trainData.xs, trainData.ys, {
    epochs,
    batchSize,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochEnd: async () => {
        const scores = model.evaluate(valData.xs, valData.ys, { batchSize: EVAL_BATCH });
        const [, accuracy] = await Promise.all((scores as tf.Scalar[]).map((s) => s.data()));
        valAccuracy = accuracy?.[0] ?? 0;
        tf.dispose(scores);
        marks.push(performance.now());
      },
    },
  });
  tf.dispose([trainData.xs, trainData.ys, valData.xs, valData.ys]);
  model.dispose();
  return { samplesPerSecond: throughput(marks, train.rows), valAccuracy };
}

await main();
