import type { CategoricalFeature, FeatureSpec, NumericFeature } from './preprocessing.js';
import { featureWidth } from './preprocessing.js';
import { isMissing, quoteValue, toCategory, toNumber, typeOfValue } from './values.js';

/** A value that does not fit its feature; callers add where it came from (row, instance). */
export class FeatureValueError extends Error {
  constructor(
    readonly feature: string,
    readonly detail: string,
  ) {
    super(`feature "${feature}" ${detail}`);
  }
}

/** Writes one raw row's inputs into a Float32Array at an offset. */
export interface RowWriter {
  readonly width: number;
  write(raw: Readonly<Record<string, unknown>>, out: Float32Array, offset: number): void;
}

type Writer = (raw: Readonly<Record<string, unknown>>, out: Float32Array, at: number) => void;

function numericWriter(feature: NumericFeature): Writer {
  const { name, mean, std, hasMissing } = feature;
  return (raw, out, at) => {
    const value = raw[name];
    if (isMissing(value)) {
      out[at] = 0; // the mean, standardised
      if (hasMissing) out[at + 1] = 1;
      return;
    }
    const x = toNumber(value);
    if (Number.isNaN(x)) {
      const got = typeof value === 'string' ? quoteValue(value) : typeOfValue(value);
      throw new FeatureValueError(name, `expects a number, got ${got}`);
    }
    out[at] = (x - mean) / std;
    if (hasMissing) out[at + 1] = 0;
  };
}

function categoricalWriter(feature: CategoricalFeature): Writer {
  const { name, oov, missing } = feature;
  const index = new Map(feature.vocabulary.map((value, i) => [value, i]));
  const width = feature.vocabulary.length + 2;
  return (raw, out, at) => {
    out.fill(0, at, at + width);
    const value = raw[name];
    if (isMissing(value)) {
      out[at + missing] = 1;
      return;
    }
    const key = toCategory(value);
    if (key === undefined) {
      throw new FeatureValueError(name, `expects a string or number, got ${typeOfValue(value)}`);
    }
    out[at + (index.get(key) ?? oov)] = 1;
  };
}

/** Compile the table features of a preprocessing into one row writer (image features are handled by the image featurizer). */
export function compileRowWriter(features: readonly FeatureSpec[]): RowWriter {
  const writers: Array<{ write: Writer; offset: number }> = [];
  let width = 0;
  for (const feature of features) {
    if (feature.kind === 'image') {
      throw new Error(`feature "${feature.name}" is an image; use the image featurizer`);
    }
    const write = feature.kind === 'numeric' ? numericWriter(feature) : categoricalWriter(feature);
    writers.push({ write, offset: width });
    width += featureWidth(feature);
  }
  return {
    width,
    write(raw, out, offset) {
      for (const { write, offset: at } of writers) write(raw, out, offset + at);
    },
  };
}
