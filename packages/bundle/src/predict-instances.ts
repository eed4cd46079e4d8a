import { StratusError, coerceError } from '@stratus/spec';
import { tf } from './backend/tf.js';
import { featurize } from './featurize.js';
import type { LabelSpec, Preprocessing } from './preprocessing.js';
import type { Bundle } from './load-bundle.js';

export type Prediction =
  { label: string; probabilities: Record<string, number> } | { value: number } | unknown;

const badInstance = (name: string, detail: string): StratusError =>
  new StratusError('INVALID_PREDICT_REQUEST', { detail: `${name}: ${detail}` });

/**
 * Predict a batch of instances, in order. Stratus bundles take raw feature
 * objects and return `{label, probabilities}` or `{value}`; raw tfjs models
 * take (nested) arrays or `{inputName: array}` objects and return arrays.
 * A bad instance is INVALID_PREDICT_REQUEST naming its index. No tensor
 * outlives the call.
 */
export async function predictInstances(
  bundle: Bundle,
  instances: readonly unknown[],
): Promise<Prediction[]> {
  if (instances.length === 0) return [];
  if (bundle.kind === 'stratus') return predictStratus(bundle, instances);
  return predictRaw(bundle, instances);
}

/** How a bad instance is named in errors. @defaultValue `instances[${index}]` */
export type InstanceNamer = (index: number) => string;

const instanceName: InstanceNamer = (index) => `instances[${index}]`;

/**
 * Featurize raw feature objects into one row-major Float32Array (rows ×
 * input width) with the bundle's preprocessing. A bad instance is
 * INVALID_PREDICT_REQUEST naming it (`instances[3]: …`).
 */
export function featurizeInstances(
  preprocessing: Preprocessing,
  instances: readonly unknown[],
  name: InstanceNamer = instanceName,
): Float32Array {
  const width = preprocessing.inputShape.reduce((a, b) => a * b, 1);
  const inputs = new Float32Array(instances.length * width);
  instances.forEach((instance, index) => {
    if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) {
      throw badInstance(name(index), 'must be an object of feature values');
    }
    try {
      inputs.set(featurize(preprocessing, instance as Record<string, unknown>), index * width);
    } catch (error) {
      throw badInstance(name(index), coerceError(error).message.replace(/^.*?: /, ''));
    }
  });
  return inputs;
}

/**
 * Turn model outputs (rows × classes probabilities, or rows standardised
 * values) into predictions: `{label, probabilities}` or `{value}` per row.
 */
export function decodePredictions(
  label: LabelSpec,
  values: ArrayLike<number>,
  rows: number,
): Prediction[] {
  if (label.kind === 'regression') {
    return Array.from({ length: rows }, (_, row) => ({
      value: (values[row] ?? 0) * label.std + label.mean,
    }));
  }
  const classes = label.classes.length;
  return Array.from({ length: rows }, (_, row) => {
    const probabilities: Record<string, number> = {};
    let best = 0;
    for (let k = 0; k < classes; k += 1) {
      const p = values[row * classes + k] ?? 0;
      probabilities[label.classes[k] ?? String(k)] = p;
      if (p > (values[row * classes + best] ?? 0)) best = k;
    }
    return { label: label.classes[best] ?? String(best), probabilities };
  });
}

async function predictStratus(
  bundle: Extract<Bundle, { kind: 'stratus' }>,
  instances: readonly unknown[],
): Promise<Prediction[]> {
  const { preprocessing } = bundle.manifest;
  const inputs = featurizeInstances(preprocessing, instances);
  const output = tf.tidy(() => {
    const xs = tf.tensor(inputs, [instances.length, ...preprocessing.inputShape]);
    return bundle.model.predict(xs) as tf.Tensor;
  });
  const values = await output.data();
  output.dispose();
  return decodePredictions(preprocessing.label, values, instances.length);
}

async function predictRaw(
  bundle: Exclude<Bundle, { kind: 'stratus' }>,
  instances: readonly unknown[],
): Promise<Prediction[]> {
  const inputNames = bundle.model.inputs.map((input) => input.name.replace(/:0$/, ''));
  const named = instances.every(
    (instance) => typeof instance === 'object' && instance !== null && !Array.isArray(instance),
  );
  const tensors: tf.Tensor[] = [];
  try {
    let feed: tf.Tensor | tf.NamedTensorMap;
    if (named) {
      const map: tf.NamedTensorMap = {};
      for (const name of inputNames) {
        const column = instances.map((instance, index) => {
          const value = (instance as Record<string, unknown>)[name];
          if (value === undefined) {
            throw badInstance(instanceName(index), `is missing input "${name}"`);
          }
          return value;
        });
        map[name] = toTensor(column);
        tensors.push(map[name]);
      }
      feed =
        inputNames.length === 1 && bundle.kind === 'layers'
          ? (map[inputNames[0] ?? ''] as tf.Tensor)
          : map;
    } else {
      feed = toTensor(instances as unknown[]);
      tensors.push(feed);
    }
    const output =
      bundle.kind === 'graph'
        ? await bundle.model.executeAsync(feed)
        : bundle.model.predict(feed as tf.Tensor | tf.Tensor[]);
    const outputs = Array.isArray(output) ? output : [output as tf.Tensor];
    try {
      const first = outputs[0];
      if (first === undefined) return [];
      const rows = (await first.array()) as unknown[];
      return rows;
    } finally {
      tf.dispose(outputs);
    }
  } finally {
    tf.dispose(tensors);
  }
}

function toTensor(values: unknown[]): tf.Tensor {
  try {
    return tf.tensor(values as number[]);
  } catch (error) {
    throw new StratusError('INVALID_PREDICT_REQUEST', {
      detail: `instances must be numeric arrays of one shape: ${coerceError(error).message}`,
    });
  }
}
