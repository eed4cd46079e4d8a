import { StratusError } from '@stratus/spec';
import { compileRowWriter, FeatureValueError, type RowWriter } from './featurize-table.js';
import { decodeImage, ImageDecodeError, writeImageInput } from './image-decode.js';
import type { ImageFeature, Preprocessing } from './preprocessing.js';
import { typeOfValue } from './values.js';

const writers = new WeakMap<Preprocessing, RowWriter>();

/**
 * Turn one raw instance (`{column: value}` as in the training data; for an
 * image model `{[feature]: {b64}}` or a nested/flat array of [0, 1] pixel
 * values) into the model input. Wrong-typed values throw
 * INVALID_PREDICT_REQUEST naming the feature; missing values are imputed.
 */
export function featurize(
  preprocessing: Preprocessing,
  instance: Readonly<Record<string, unknown>>,
): Float32Array {
  try {
    const [first] = preprocessing.features;
    if (first?.kind === 'image') return featurizeImage(first, instance[first.name]);
    let writer = writers.get(preprocessing);
    if (writer === undefined) {
      writer = compileRowWriter(preprocessing.features);
      writers.set(preprocessing, writer);
    }
    const out = new Float32Array(writer.width);
    writer.write(instance, out, 0);
    return out;
  } catch (error) {
    if (error instanceof FeatureValueError) {
      throw new StratusError(
        'INVALID_PREDICT_REQUEST',
        { detail: error.message },
        { cause: error },
      );
    }
    throw error;
  }
}

function featurizeImage(feature: ImageFeature, value: unknown): Float32Array {
  const size = feature.height * feature.width * feature.channels;
  const out = new Float32Array(size);
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'b64' in value) {
    const { b64 } = value;
    if (typeof b64 !== 'string') {
      throw new FeatureValueError(feature.name, `"b64" must be a string, got ${typeOfValue(b64)}`);
    }
    try {
      writeImageInput(decodeImage(Buffer.from(b64, 'base64')), feature, out, 0);
    } catch (error) {
      if (error instanceof ImageDecodeError) {
        throw new FeatureValueError(feature.name, error.message);
      }
      throw error;
    }
    return out;
  }
  if (!Array.isArray(value)) {
    throw new FeatureValueError(
      feature.name,
      `expects {"b64": "<PNG or JPEG>"} or an array of ${size} pixel values, got ${typeOfValue(value)}`,
    );
  }
  // Array#flat copies even a flat array (~50 µs for 784 pixels): skip it when there is nothing to flatten.
  const flat = value.some(Array.isArray) ? (value.flat(3) as unknown[]) : (value as unknown[]);
  if (flat.length !== size) {
    throw new FeatureValueError(
      feature.name,
      `expects ${feature.height}x${feature.width}x${feature.channels} = ${size} pixel values, got ${flat.length}`,
    );
  }
  for (let i = 0; i < size; i += 1) {
    const v = flat[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new FeatureValueError(
        feature.name,
        `pixel ${i} must be a number, got ${typeOfValue(v)}`,
      );
    }
    out[i] = v;
  }
  return out;
}
