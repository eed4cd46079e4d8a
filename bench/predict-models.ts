// The three models bench/predict serves, built for real in a local bucket: the Iris
// dnn_classifier and the MNIST image_classifier CNN trained with runTrial (Stratus bundles), and
// an MNIST-sized raw tfjs MLP (784-256-128-10) saved with storageIOHandler. Also measures each
// model's own in-process throughput (wasm) at batch sizes 1..256: the limit batching aims for.
import { loadBundle, featurizeInstances, storageIOHandler, tf, type Bundle } from '@stratus/bundle';
import {
  IRIS_URI,
  mnistPixels,
  runTrial,
  trialSpec,
  writeMnistFolder,
  type TrialFixture,
} from '@stratus/trainer/testing';

export type ModelName = 'iris' | 'mlp' | 'cnn';

export interface BenchModel {
  readonly name: ModelName;
  readonly uri: string;
  /** One instance, as a client sends it. */
  readonly instance: unknown;
}

export interface ModelThroughput {
  /** Samples per second at each batch size. */
  readonly bySize: Readonly<Record<string, number>>;
  readonly bestSize: number;
  readonly best: number;
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

/** Samples/s of `model.predict` + reading the outputs, at each batch size, for ~`seconds` each. */
export const modelThroughput = async (
  fixture: TrialFixture,
  model: BenchModel,
  seconds = 1,
): Promise<ModelThroughput> => {
  const bundle = await loadBundle(fixture.storage, model.uri, { maxParams: 100_000_000 });
  if (bundle.kind === 'graph') throw new Error('bench models are layers models');
  const row = inputRow(bundle, model.instance);
  const shape = bundle.model.inputs[0]?.shape.slice(1).map((dim) => dim ?? 1) ?? [row.length];
  const bySize: Record<string, number> = {};
  for (const size of SIZES) {
    const batch = new Float32Array(size * row.length);
    for (let i = 0; i < size; i += 1) batch.set(row, i * row.length);
    let samples = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      const xs = tf.tensor(batch, [size, ...shape]);
      const ys = bundle.model.predict(xs) as tf.Tensor;
      await ys.data();
      tf.dispose([xs, ys]);
      samples += size;
    }
    bySize[size] = Math.round(samples / ((performance.now() - started) / 1000));
  }
  bundle.model.dispose();
  const [bestSize, best] = Object.entries(bySize).reduce((a, b) => (b[1] > a[1] ? b : a));
  return { bySize, bestSize: Number(bestSize), best };
};
