/**
 * Model bundles the predictor tests deploy, built for real: an Iris
 * `dnn_classifier` trained with runTrial, raw tfjs layers models saved with
 * storageIOHandler, and a tfjs graph model written in the format
 * `tensorflowjs_converter` produces.
 */
import type { Storage } from '@stratus/storage';
import { exportBundle, storageIOHandler, tf } from '@stratus/bundle';
import {
  BOSTON_URI,
  IRIS_URI,
  runTrial,
  trialSpec,
  type TrialFixture,
} from '@stratus/trainer/testing';

/** The three classic Iris examples and their species. */
export const IRIS_EXAMPLES = [
  {
    instance: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
    label: 'setosa',
  },
  {
    instance: { sepal_length: 6.4, sepal_width: 3.2, petal_length: 4.5, petal_width: 1.5 },
    label: 'versicolor',
  },
  {
    instance: { sepal_length: 7.7, sepal_width: 3.0, petal_length: 6.1, petal_width: 2.3 },
    label: 'virginica',
  },
] as const;

/** Train the docs/api.md Iris classifier into `{jobDir}/model`; returns the bundle URI. */
export const trainIris = async (fixture: TrialFixture, jobDir: string): Promise<string> => {
  const result = await runTrial(
    trialSpec({
      scaleTier: 'BASIC',
      region: 'local',
      jobDir,
      builtinAlgorithm: {
        name: 'dnn_classifier',
        trainingData: IRIS_URI,
        labelColumn: 'species',
        validationSplit: 0.2,
        epochs: 40,
        batchSize: 16,
        learningRate: 0.01,
        hiddenUnits: [32, 16],
        seed: 7,
      },
    }),
    fixture.context(),
  );
  return result.modelDir;
};

/** Two Boston housing rows (raw feature objects, `medv` left out): regression instances. */
export const BOSTON_EXAMPLES = [
  {
    crim: 0.00632,
    zn: 18,
    indus: 2.31,
    chas: 0,
    nox: 0.538,
    rm: 6.575,
    age: 65.2,
    dis: 4.09,
    rad: 1,
    tax: 296,
    ptratio: 15.3,
    b: 396.9,
    lstat: 4.98,
  },
  {
    crim: 0.02731,
    zn: 0,
    indus: 7.07,
    chas: 0,
    nox: 0.469,
    rm: 6.421,
    age: 78.9,
    dis: 4.9671,
    rad: 2,
    tax: 242,
    ptratio: 17.8,
    b: 396.9,
    lstat: 9.14,
  },
] as const;

/** Train a `linear_regressor` on Boston (`medv`) into `{jobDir}/model`; returns the bundle URI. */
export const trainBoston = async (fixture: TrialFixture, jobDir: string): Promise<string> => {
  const result = await runTrial(
    trialSpec({
      scaleTier: 'BASIC',
      region: 'local',
      jobDir,
      builtinAlgorithm: {
        name: 'linear_regressor',
        trainingData: BOSTON_URI,
        labelColumn: 'medv',
        validationSplit: 0.2,
        epochs: 5,
        batchSize: 32,
        learningRate: 0.05,
        seed: 7,
      },
    }),
    fixture.context(),
  );
  return result.modelDir;
};

/**
 * A raw layers model `y = scale · x` on 2 inputs (`dense` without bias), so
 * a prediction says which model answered: [1, 2] → [scale, 2·scale].
 */
export const saveScaleModel = async (
  storage: Storage,
  uri: string,
  scale: number,
): Promise<void> => {
  const input = tf.input({ shape: [2], name: 'xy' });
  const output = tf.layers.dense({ units: 2, useBias: false, name: 'scale' }).apply(input);
  const model = tf.model({ inputs: input, outputs: output as tf.SymbolicTensor });
  const kernel = tf.tensor2d([
    [scale, 0],
    [0, scale],
  ]);
  model.setWeights([kernel]);
  await model.save(storageIOHandler(storage, uri));
  kernel.dispose();
  model.dispose();
};

/**
 * A Stratus image bundle without training: 2x2x1 pixels, flattened into a
 * dense softmax over classes "dark" and "light" (the mean pixel decides).
 */
export const saveImageBundle = async (storage: Storage, uri: string): Promise<void> => {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [2, 2, 1] }),
      tf.layers.dense({ units: 2, activation: 'softmax' }),
    ],
  });
  const kernel = tf.tensor2d([
    [-4, 4],
    [-4, 4],
    [-4, 4],
    [-4, 4],
  ]);
  const bias = tf.tensor1d([8, -8]);
  model.setWeights([kernel, bias]);
  await exportBundle(storage, uri, model, {
    format: 'stratus-bundle',
    version: 1,
    algorithm: 'image_classifier',
    preprocessing: {
      version: 1,
      features: [{ kind: 'image', name: 'image', height: 2, width: 2, channels: 1 }],
      label: { kind: 'classification', name: 'label', classes: ['dark', 'light'] },
      inputShape: [2, 2, 1],
    },
    metrics: {},
    hyperparameters: {},
    trainingData: 'gs://demo/none/',
    epochs: 0,
    tfjsVersion: tf.version.tfjs,
    backend: tf.getBackend(),
    createTime: new Date(0).toISOString(),
  });
  tf.dispose([kernel, bias]);
  model.dispose();
};

/**
 * A raw layers model with an int32 input `ids` ([1] per instance) into an
 * Embedding of 5 rows: an id outside 0..4 passes validation but fails in the model.
 */
export const saveEmbeddingModel = async (storage: Storage, uri: string): Promise<void> => {
  const input = tf.input({ shape: [1], dtype: 'int32', name: 'ids' });
  const embedded = tf.layers.embedding({ inputDim: 5, outputDim: 2, name: 'table' }).apply(input);
  const output = tf.layers.flatten({ name: 'vector' }).apply(embedded);
  const model = tf.model({ inputs: input, outputs: output as tf.SymbolicTensor });
  await model.save(storageIOHandler(storage, uri));
  model.dispose();
};

const dims = (...sizes: number[]) => ({ dim: sizes.map((size) => ({ size: String(size) })) });
const floatAttr = { type: 'DT_FLOAT' };
const constNode = (name: string, ...shape: number[]) => ({
  name,
  op: 'Const',
  attr: { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(...shape) } }, dtype: floatAttr },
});

/**
 * A tfjs graph model (`format: graph-model`, a GraphDef topology, weights in a
 * shard) computing `probs = softmax(x · W + b)` for x of shape [-1, 4]:
 * what `tensorflowjs_converter` makes of a SavedModel. W routes feature i to
 * class i mod 3, so the class of the largest of x[0..2] wins.
 */
export const saveGraphModel = async (storage: Storage, uri: string): Promise<void> => {
  const modelJson = {
    format: 'graph-model',
    generatedBy: '2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      node: [
        {
          name: 'x',
          op: 'Placeholder',
          attr: { dtype: floatAttr, shape: { shape: dims(-1, 4) } },
        },
        constNode('W', 4, 3),
        constNode('b', 3),
        {
          name: 'MatMul',
          op: 'MatMul',
          input: ['x', 'W'],
          attr: { T: floatAttr, transpose_a: { b: false }, transpose_b: { b: false } },
        },
        { name: 'BiasAdd', op: 'BiasAdd', input: ['MatMul', 'b'], attr: { T: floatAttr } },
        { name: 'probs', op: 'Softmax', input: ['BiasAdd'], attr: { T: floatAttr } },
      ],
      library: {},
      versions: { producer: 1286 },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'W', shape: [4, 3], dtype: 'float32' },
          { name: 'b', shape: [3], dtype: 'float32' },
        ],
      },
    ],
  };
  const weights = new Float32Array([10, 0, 0, 0, 10, 0, 0, 0, 10, 10, 0, 0, 0, 0, 0]);
  await storage.write(`${uri}/group1-shard1of1.bin`, new Uint8Array(weights.buffer));
  await storage.write(`${uri}/model.json`, JSON.stringify(modelJson));
};

/** Overwrite a bundle's first weight shard with half its bytes (a corrupt upload). */
export const truncateShard = async (storage: Storage, uri: string): Promise<string> => {
  const shard = `${uri}/group1-shard1of1.bin`;
  const bytes = await storage.read(shard);
  await storage.write(shard, bytes.subarray(0, Math.floor(bytes.length / 2)));
  return shard;
};
