import type { ParameterSpec, ScaleType } from '@stratus/spec';
import { fromUnit, isLogarithmic, toUnit } from './scales.js';
import { specViolation, valueError } from './spec-errors.js';

/** A hyperparameter value: a number for DOUBLE, INTEGER and DISCRETE, a string for CATEGORICAL. */
export type ParameterValue = number | string;

/**
 * One parameter of the search space, compiled from its ParameterSpec. Every
 * point the tuner proposes is made by `sample` (so it is legal by
 * construction) and every point the GP sees goes through `embed`.
 */
export interface Parameter {
  readonly name: string;
  readonly spec: ParameterSpec;
  /** How many GP input columns the parameter occupies: 1, or one per category. */
  readonly features: number;
  /** Number of legal values; Infinity for DOUBLE. */
  readonly cardinality: number;
  /** Map u ∈ [0, 1) to a legal value; every legal value gets an equal share of u under the scale. */
  sample(u: number): ParameterValue;
  /** The centre of the part of [0, 1) that `sample` maps to this value (its inverse, up to cells). */
  centre(value: ParameterValue): number;
  /** The i-th legal value in increasing (or listed) order; finite parameters only. */
  valueAt(i: number): ParameterValue;
  /** The position of a legal value in `valueAt`'s order; -1 for any other value (and for DOUBLE). */
  indexOf(value: ParameterValue): number;
  /** Write the GP features of a value into `out` from `offset`, each in [0, 1]. */
  embed(value: ParameterValue, out: Float64Array, offset: number): void;
  /** Read a value as stored (string, as in TrainingOutput) or typed; throws on an illegal one. */
  parse(raw: ParameterValue): ParameterValue;
}

const parseNumber = (name: string, raw: ParameterValue): number => {
  const value = typeof raw === 'number' ? raw : raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(value)) throw valueError(name, raw, 'not a finite number');
  return value;
};

const checkRange = (spec: ParameterSpec, field: string): { min: number; max: number } => {
  const { minValue: min, maxValue: max } = spec;
  if (min === undefined || !Number.isFinite(min)) {
    throw specViolation(`${field}.minValue`, `required and finite for a ${spec.type} parameter`);
  }
  if (max === undefined || !Number.isFinite(max)) {
    throw specViolation(`${field}.maxValue`, `required and finite for a ${spec.type} parameter`);
  }
  if (min >= max)
    throw specViolation(`${field}.minValue`, `${min} must be less than maxValue ${max}`);
  if (isLogarithmic(spec.scaleType) && min <= 0) {
    throw specViolation(`${field}.minValue`, `${spec.scaleType} needs minValue > 0, got ${min}`);
  }
  return { min, max };
};

const continuous = (spec: ParameterSpec, field: string): Parameter => {
  const { min, max } = checkRange(spec, field);
  const scale = spec.scaleType;
  return {
    name: spec.parameterName,
    spec,
    features: 1,
    cardinality: Infinity,
    sample: (u) => fromUnit(u, min, max, scale),
    centre: (value) => toUnit(Number(value), min, max, scale),
    valueAt: () => {
      throw specViolation(`${field}.type`, 'a DOUBLE parameter has no finite list of values');
    },
    indexOf: () => -1,
    embed: (value, out, offset) => {
      out[offset] = toUnit(Number(value), min, max, scale);
    },
    parse: (raw) => parseNumber(spec.parameterName, raw),
  };
};

const integer = (spec: ParameterSpec, field: string): Parameter => {
  const { min, max } = checkRange(spec, field);
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) {
    throw specViolation(
      `${field}.minValue`,
      `INTEGER bounds must be integers, got ${min} and ${max}`,
    );
  }
  const scale = spec.scaleType;
  return {
    name: spec.parameterName,
    spec,
    features: 1,
    cardinality: max - min + 1,
    // Half a unit beyond each bound, so rounding gives the end values their full share.
    sample: (u) =>
      Math.min(max, Math.max(min, Math.round(fromUnit(u, min - 0.5, max + 0.5, scale)))),
    centre: (value) => {
      const v = Math.min(max, Math.max(min, Math.round(Number(value))));
      const edge = (x: number): number => toUnit(x, min - 0.5, max + 0.5, scale);
      return (edge(v - 0.5) + edge(v + 0.5)) / 2;
    },
    valueAt: (i) => min + i,
    indexOf: (value) =>
      typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
        ? value - min
        : -1,
    embed: (value, out, offset) => {
      out[offset] = toUnit(Number(value), min, max, scale);
    },
    parse: (raw) => {
      const value = parseNumber(spec.parameterName, raw);
      if (!Number.isInteger(value)) throw valueError(spec.parameterName, raw, 'not an integer');
      return value;
    },
  };
};

const checkValues = <T>(values: readonly T[] | undefined, field: string, type: string): T[] => {
  if (values === undefined || values.length === 0) {
    throw specViolation(field, `required and non-empty for a ${type} parameter`);
  }
  return [...values];
};

const discrete = (spec: ParameterSpec, field: string): Parameter => {
  const values = checkValues(spec.discreteValues, `${field}.discreteValues`, 'DISCRETE');
  values.forEach((value, i) => {
    const previous = values[i - 1];
    if (!Number.isFinite(value)) {
      throw specViolation(`${field}.discreteValues[${i}]`, `${value} is not a finite number`);
    }
    if (previous !== undefined && value <= previous) {
      throw specViolation(
        `${field}.discreteValues`,
        `must be strictly increasing (${previous}, ${value})`,
      );
    }
  });
  const first = values[0] ?? 0;
  const last = values[values.length - 1] ?? 0;
  const scale: ScaleType | undefined = spec.scaleType;
  if (isLogarithmic(scale) && first <= 0) {
    throw specViolation(`${field}.discreteValues`, `${scale} needs positive values, got ${first}`);
  }
  const valueAt = (i: number): number =>
    values[Math.min(values.length - 1, Math.max(0, i))] ?? first;
  return {
    name: spec.parameterName,
    spec,
    features: values.length > 1 ? 1 : 0,
    cardinality: values.length,
    sample: (u) => valueAt(Math.floor(u * values.length)),
    centre: (value) => (Math.max(0, values.indexOf(Number(value))) + 0.5) / values.length,
    valueAt,
    indexOf: (value) => (typeof value === 'number' ? values.indexOf(value) : -1),
    embed: (value, out, offset) => {
      if (values.length > 1) out[offset] = toUnit(Number(value), first, last, scale);
    },
    parse: (raw) => {
      const value = parseNumber(spec.parameterName, raw);
      // Stored strings round-trip exactly, but a value typed by hand may carry float noise.
      const match = values.find((v) => Math.abs(v - value) <= 1e-9 * Math.max(1, Math.abs(v)));
      if (match === undefined) {
        throw valueError(
          spec.parameterName,
          raw,
          `not one of the discrete values ${values.join(', ')}`,
        );
      }
      return match;
    },
  };
};

const categorical = (spec: ParameterSpec, field: string): Parameter => {
  const values = checkValues(spec.categoricalValues, `${field}.categoricalValues`, 'CATEGORICAL');
  const index = new Map<string, number>();
  values.forEach((value, i) => {
    if (index.has(value)) {
      throw specViolation(`${field}.categoricalValues[${i}]`, `"${value}" is listed twice`);
    }
    index.set(value, i);
  });
  const features = values.length > 1 ? values.length : 0;
  const valueAt = (i: number): string => values[Math.min(values.length - 1, Math.max(0, i))] ?? '';
  return {
    name: spec.parameterName,
    spec,
    features,
    cardinality: values.length,
    sample: (u) => valueAt(Math.floor(u * values.length)),
    centre: (value) => ((index.get(String(value)) ?? 0) + 0.5) / values.length,
    valueAt,
    indexOf: (value) => (typeof value === 'string' ? (index.get(value) ?? -1) : -1),
    // One-hot: categories are unordered, so no category sits "between" two others.
    embed: (value, out, offset) => {
      const at = index.get(String(value));
      for (let k = 0; k < features; k += 1) out[offset + k] = k === at ? 1 : 0;
    },
    parse: (raw) => {
      const value = String(raw);
      if (!index.has(value)) {
        throw valueError(spec.parameterName, raw, `not one of the categories ${values.join(', ')}`);
      }
      return value;
    },
  };
};

/** Compile and check one ParameterSpec; `field` names it in errors (e.g. `params[2]`). */
export const compileParameter = (spec: ParameterSpec, field: string): Parameter => {
  switch (spec.type) {
    case 'DOUBLE':
      return continuous(spec, field);
    case 'INTEGER':
      return integer(spec, field);
    case 'DISCRETE':
      return discrete(spec, field);
    case 'CATEGORICAL':
      return categorical(spec, field);
    default:
      throw specViolation(`${field}.type`, `unknown parameter type ${JSON.stringify(spec.type)}`);
  }
};
