// The three models bench/predict serves, built for real in a local bucket: the Iris
// dnn_classifier and the MNIST image_classifier CNN trained with runTrial (Stratus bundles, with the
// model.onnx the trainer exports), and an MNIST-sized raw tfjs MLP (784-256-128-10) saved with
// storageIOHandler plus its ONNX export. Also measures each model's own in-process throughput at
// batch sizes 1..256 on TensorFlow.js (wasm) and on ONNX Runtime, in interleaved rounds (median per
// size): the limit batching aims for.
import { loadBundle, featurizeInstances, storageIOHandler, tf, type Bundle } from '@stratus/bundle';
import { onnxModelBytes } from '@stratus/trainer';
import {
  IRIS_URI,
  mnistPixels,
  runTrial,
  trialSpec,
  writeMnistFolder,
  type TrialFixture,
} from '@stratus/trainer/testing';
import * as ort from 'onnxruntime-node';

export type ModelName = 'iris' | 'mlp' | 'cnn';

export interface BenchModel {
  readonly name: ModelName;
  readonly uri: string;
  /** One instance, as a client sends it. */
  readonly instance: unknown;
}

export interface ModelThroughput {
  /** Samples per second at each batch size (the median round). */
  readonly bySize: Readonly<Record<string, number>>;
  readonly bestSize: number;
  readonly best: number;
}

/** In-process throughput on each runtime, measured in the same interleaved rounds. */
export interface RuntimeThroughput {
  readonly tfjs: ModelThroughput;
  /** Absent when the bundle has no model.onnx. */
  readonly onnx?: ModelThroughput;
  /** ONNX Runtime's samples/s over tfjs's at each batch size. */
  readonly onnxOverTfjs?: Readonly<Record<string, number>>;
}

const SIZES = [1, 4, 16, 32, 64, 128, 256];

/** Train or build the three models; returns where each bundle is and an instance for it. */
export const buildModels = async (fixture: TrialFixture): Promise<BenchModel[]> => {
  const iris = await runTrial(
    trialSpec({
      jobDir: 'gs://bench/jobs/iris',
      builtinAlgorithm: {
        name: 'dnn_classifier',
        trainingData: IRIS_URI,
        labelColumn: 'species',
        epochs: 20,
        hiddenUnits: [32, 16],
        seed: 7,
      },
    }),
    fixture.context(),
  );
  const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  await writeMnistFolder(fixture.storage, 'gs://bench/mnist/', digits, 30);
  const cnn = await runTrial(
    trialSpec({
      jobDir: 'gs://bench/jobs/cnn',
      builtinAlgorithm: {
        name: 'image_classifier',
        trainingData: 'gs://bench/mnist/',
        epochs: 1,
        batchSize: 32,
        seed: 1,
      },
    }),
    fixture.context(),
  );
  const mlp = tf.sequential({
    layers: [
      tf.layers.dense({ units: 256, activation: 'relu', inputShape: [784] }),
      tf.layers.dense({ units: 128, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  await mlp.save(storageIOHandler(fixture.storage, 'gs://bench/mlp'));
  await fixture.storage.write('gs://bench/mlp/model.onnx', onnxModelBytes(mlp));
  mlp.dispose();
  const pixels = mnistPixels(7, 0);
  return [
    {
      name: 'iris',
      uri: iris.modelDir,
      instance: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
    },
    { name: 'mlp', uri: 'gs://bench/mlp', instance: pixels },
    { name: 'cnn', uri: cnn.modelDir, instance: { image: pixels } },
  ];
};

/** One featurized row of the model's input. */
const inputRow = (bundle: Bundle, instance: unknown): Float32Array =>
  bundle.kind === 'stratus'
    ? featurizeInstances(bundle.manifest.preprocessing, [instance])
    : Float32Array.from(instance as number[]);

const medianOf = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Samples/s of `step` on batches of `size`, for ~`seconds`. */
const rate = async (seconds: number, size: number, step: () => Promise<void>): Promise<number> => {
  let samples = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await step();
    samples += size;
  }
  return Math.round(samples / ((performance.now() - started) / 1000));
};

const summary = (rounds: Record<string, number[]>): ModelThroughput => {
  const bySize = Object.fromEntries(
    Object.entries(rounds).map(([size, values]) => [size, medianOf(values)]),
  );
  const [bestSize, best] = Object.entries(bySize).reduce((a, b) => (b[1] > a[1] ? b : a));
  return { bySize, bestSize: Number(bestSize), best };
};

/**
 * Samples/s of tfjs `model.predict` + reading the outputs, and of ONNX Runtime `session.run` on
 * the bundle's model.onnx (`onnxThreads` intra-op threads, as the predictor's
 * STRATUS_PREDICT_ONNX_THREADS), at each batch size for ~`seconds` each: `rounds` rounds, each
 * size on tfjs then ONNX Runtime, the median round per size.
 */
export const modelThroughput = async (
  fixture: TrialFixture,
  model: BenchModel,
  seconds = 0.5,
  rounds = 3,
  onnxThreads = 1,
): Promise<RuntimeThroughput> => {
  const bundle = await loadBundle(fixture.storage, model.uri, { maxParams: 100_000_000 });
  if (bundle.kind === 'graph') throw new Error('bench models are layers models');
  const row = inputRow(bundle, model.instance);
  const shape = bundle.model.inputs[0]?.shape.slice(1).map((dim) => dim ?? 1) ?? [row.length];
  const onnxUri = `${model.uri}/model.onnx`;
  const session = (await fixture.storage.exists(onnxUri))
    ? await ort.InferenceSession.create(await fixture.storage.read(onnxUri), {
        intraOpNumThreads: onnxThreads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      })
    : undefined;
  const inputName = session?.inputNames[0] ?? 'input';
  const tfjsRounds: Record<string, number[]> = {};
  const onnxRounds: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round += 1) {
    for (const size of SIZES) {
      const batch = new Float32Array(size * row.length);
      for (let i = 0; i < size; i += 1) batch.set(row, i * row.length);
      (tfjsRounds[size] ??= []).push(
        await rate(seconds, size, async () => {
          const xs = tf.tensor(batch, [size, ...shape]);
          const ys = bundle.model.predict(xs) as tf.Tensor;
          await ys.data();
          tf.dispose([xs, ys]);
        }),
      );
      if (session !== undefined) {
        (onnxRounds[size] ??= []).push(
          await rate(seconds, size, async () => {
            await session.run({ [inputName]: new ort.Tensor('float32', batch, [size, ...shape]) });
          }),
        );
      }
    }
  }
  bundle.model.dispose();
  await session?.release();
  const tfjs = summary(tfjsRounds);
  if (session === undefined) return { tfjs };
  const onnx = summary(onnxRounds);
  const onnxOverTfjs = Object.fromEntries(
    SIZES.map((size) => [
      size,
      Number(((onnx.bySize[size] ?? 0) / (tfjs.bySize[size] ?? 1)).toFixed(2)),
    ]),
  );
  return { tfjs, onnx, onnxOverTfjs };
};
