import { tf } from '@stratus/bundle';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { CONTROL, shardRange, type SharedViews } from './shared-training.js';

type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** tfjs-layers 4.22's compiled-model fields (a Sequential keeps its loss functions on `.model`). */
interface CompiledFields {
  lossFunctions?: LossFn[];
  model?: { lossFunctions?: LossFn[] };
  metricsTensors: Array<[LossFn, number]>;
  metricsNames: string[];
}

/** A compiled model as one training step sees it: its trainable variables in a flat layout. */
export interface StepModel {
  readonly model: tf.LayersModel;
  /** Trainable variables in the order `fit` hands them to the optimizer. */
  readonly variables: readonly tf.Variable[];
  /** Start of each variable in a flat parameter vector; the last entry is the total. */
  readonly offsets: readonly number[];
  readonly loss: LossFn;
  readonly metrics: readonly LossFn[];
  /** tfjs log names of `[loss, ...metrics]`, e.g. `['loss', 'acc']`. */
  readonly names: readonly string[];
}

/** The step view of a built and compiled single-output model. */
export function stepModel(model: tf.LayersModel): StepModel {
  const fields = model as unknown as CompiledFields;
  const losses = fields.lossFunctions ?? fields.model?.lossFunctions ?? [];
  const loss = losses[0];
  if (loss === undefined || losses.length > 1) {
    throw new Error('data-parallel training needs a compiled model with one output');
  }
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const offsets = [0];
  for (const variable of variables) offsets.push((offsets.at(-1) ?? 0) + variable.size);
  return {
    model,
    variables,
    offsets,
    loss,
    metrics: fields.metricsTensors.map(([metric]) => metric),
    names: [...fields.metricsNames],
  };
}

/**
 * Loss and gradients of one shard, as `fit`'s train function computes them for a batch: the
 * loss is the mean over the shard's rows plus the regularisation penalties. Writes the flat
 * gradient of `scale` × that loss into `gradient` (a shard's share of its batch, so the
 * threads' gradients add up to the batch's without another pass) and returns the unscaled
 * `[loss, ...metrics]`, each a mean over the shard.
 */
export function shardGradients(
  step: StepModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  gradient: Float32Array,
  scale = 1,
): number[] {
  let values: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const predictions = step.model.apply(xs, { training: true }) as tf.Tensor;
    const shardLoss = tf.mean(step.loss(ys, predictions));
    values = tf.keep(
      tf.stack([shardLoss, ...step.metrics.map((metric) => tf.mean(metric(ys, predictions)))]),
    );
    let total = shardLoss;
    for (const penalty of step.model.calculateLosses()) total = tf.add(total, penalty);
    return (scale === 1 ? total : tf.mul(total, scale)) as tf.Scalar;
  }, step.variables as tf.Variable[]);
  step.variables.forEach((variable, i) => {
    const grad = grads[variable.name];
    if (grad === undefined) throw new Error(`no gradient for ${variable.name}`);
    gradient.set(values32(grad), step.offsets[i]);
  });
  const totalLoss = (value.dataSync()[0] ?? Number.NaN) / scale;
  const result = Array.from((values as tf.Tensor).dataSync());
  tf.dispose([value, values as tf.Tensor, ...Object.values(grads)]);
  // `fit` logs the total loss (with penalties) and the metrics.
  result[0] = totalLoss;
  return result;
}

/** Rows `order[from..to)` of a row-major matrix with `width` values per row, as a new array. */
export function gatherRows(
  source: Float32Array,
  width: number,
  order: Int32Array,
  from: number,
  to: number,
): Float32Array {
  const rows = new Float32Array((to - from) * width);
  for (let i = from; i < to; i++) {
    const start = (order[i] as number) * width;
    rows.set(source.subarray(start, start + width), (i - from) * width);
  }
  return rows;
}

/**
 * A float32 tensor's values: on wasm a view of its memory in the wasm heap (no copy; valid
 * until the next allocation), elsewhere `dataSync()`.
 */
function values32(tensor: tf.Tensor): Float32Array {
  if (tf.getBackend() !== 'wasm') return tensor.dataSync() as Float32Array;
  return (tf.backend() as BackendWasm).typedArrayFromHeap(tensor) as Float32Array;
}

/**
 * Copy the flat parameter vector `weights` into the model's variables, as new tensors: the
 * wasm backend caches XNNPACK operators with packed weights per tensor, so writing over a
 * variable's memory would leave its matmuls on the old values. wasm copies `weights` into its
 * heap as the tensor is made; other backends keep the array, so they get a copy.
 */
export function loadWeights(step: StepModel, weights: Float32Array): void {
  const copied = tf.getBackend() === 'wasm';
  step.variables.forEach((variable, i) => {
    const from = step.offsets[i] as number;
    const values = weights.subarray(from, from + variable.size);
    const next = tf.tensor(copied ? values : values.slice(), variable.shape, 'float32');
    variable.assign(next);
    next.dispose();
  });
}

/** Write the model's variables into the flat parameter vector `weights`. */
export function storeWeights(step: StepModel, weights: Float32Array): void {
  step.variables.forEach((variable, i) => weights.set(values32(variable), step.offsets[i]));
}

/**
 * Thread `index`'s part of the current step: loss, metrics and gradient of its shard of the
 * batch the control block names, written into its slots (zeros for an empty shard); the
 * gradient is scaled by the shard's share of the batch.
 */
export function computeShard(step: StepModel, views: SharedViews, index: number): void {
  const gradient = views.gradients[index] as Float32Array;
  const values = views.values[index] as Float64Array;
  const start = views.control[CONTROL.batchStart] as number;
  const end = views.control[CONTROL.batchEnd] as number;
  const { from, to } = shardRange(start, end, views.gradients.length, index);
  if (to === from) {
    gradient.fill(0);
    values.fill(0);
    return;
  }
  const rows = to - from;
  const xs = tf.tensor(gatherRows(views.xs, views.xWidth, views.order, from, to), [
    rows,
    ...views.xShape,
  ]);
  const ys = tf.tensor(gatherRows(views.ys, views.yWidth, views.order, from, to), [
    rows,
    ...views.yShape,
  ]);
  try {
    values.set(shardGradients(step, xs, ys, gradient, rows / (end - start)));
  } finally {
    tf.dispose([xs, ys]);
  }
}
