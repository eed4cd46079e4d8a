import type { ResolvedBuiltinParams } from '@stratus/spec';
import { tf } from '@stratus/bundle';
import { FusedAdamOptimizer } from '../backend/fused-adam.js';

export type OptimizerName = 'adam' | 'sgd' | 'rmsprop' | 'adagrad';
export type ModelKind = 'linear' | 'dnn' | 'cnn';

/** What a built-in model needs to know to be built; data shapes come from the dataset. */
export interface ModelOptions {
  readonly kind: ModelKind;
  readonly task: 'classification' | 'regression';
  /** Shape of one example: `[features]` for tabular data, `[h, w, c]` for images. */
  readonly inputShape: readonly number[];
  /** Number of classes (classification) — regression always has one output. */
  readonly classes: number;
  readonly hiddenUnits: readonly number[];
  readonly dropout: number;
  readonly l2: number;
  readonly learningRate: number;
  readonly optimizer: OptimizerName;
}

/** The model a built-in algorithm's resolved parameters ask for, on data of this shape. */
export const builtinModelOptions = (
  params: ResolvedBuiltinParams,
  data: { readonly inputShape: readonly number[]; readonly outputUnits: number },
): ModelOptions => ({
  kind: params.architecture,
  task: params.task,
  inputShape: data.inputShape,
  classes: data.outputUnits,
  hiddenUnits: params.hiddenUnits,
  dropout: params.dropout,
  l2: params.l2,
  learningRate: params.learningRate,
  optimizer: params.optimizer,
});

/** Build and compile the tfjs model of a built-in algorithm. */
export function buildModel(options: ModelOptions): tf.LayersModel {
  const model = tf.sequential();
  const regularizer = options.l2 > 0 ? tf.regularizers.l2({ l2: options.l2 }) : undefined;
  const inputShape = [...options.inputShape];
  let first = true;
  const shape = (): { inputShape?: number[] } => {
    if (!first) return {};
    first = false;
    return { inputShape };
  };

  if (options.kind === 'cnn') {
    for (const filters of [16, 32]) {
      model.add(
        tf.layers.conv2d({
          ...shape(),
          filters,
          kernelSize: 3,
          padding: 'same',
          activation: 'relu',
          kernelRegularizer: regularizer,
        }),
      );
      model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    }
    model.add(tf.layers.flatten());
  }
  if (options.kind !== 'linear') {
    for (const units of options.hiddenUnits) {
      model.add(
        tf.layers.dense({ ...shape(), units, activation: 'relu', kernelRegularizer: regularizer }),
      );
      if (options.dropout > 0) model.add(tf.layers.dropout({ rate: options.dropout }));
    }
  }
  const classification = options.task === 'classification';
  model.add(
    tf.layers.dense({
      ...shape(),
      units: classification ? options.classes : 1,
      activation: classification ? 'softmax' : 'linear',
      kernelRegularizer: regularizer,
    }),
  );
  model.compile({
    optimizer: makeOptimizer(options.optimizer, options.learningRate),
    loss: classification ? 'categoricalCrossentropy' : 'meanSquaredError',
    metrics: classification ? ['accuracy'] : ['mae', 'mse'],
  });
  return model;
}

/** The optimizer with the given learning rate. */
export function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  switch (name) {
    case 'adam':
      // tf.train.adam's defaults; one fused pass per variable on wasm (backend/fused-adam.ts).
      return new FusedAdamOptimizer(learningRate, 0.9, 0.999);
    case 'sgd':
      return tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate);
    case 'adagrad':
      return tf.train.adagrad(learningRate);
  }
}
