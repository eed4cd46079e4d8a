import type { HyperparameterSpec } from '@stratus/spec';
import { compileParameter } from './parameter.js';
import type { Parameter, ParameterValue } from './parameter.js';
import { specViolation, valueError } from './spec-errors.js';

/** Typed hyperparameter values keyed by parameterName (numbers, or strings for CATEGORICAL). */
export type HyperparameterValues = Readonly<Record<string, ParameterValue>>;

/** Hyperparameter values as Cloud ML stores them in `TrainingOutput.trials[].hyperparameters`. */
export type HyperparameterStrings = Readonly<Record<string, string>>;

/** A compiled HyperparameterSpec: its parameters and the maps between values, the cube and GP features. */
export interface SearchSpace {
  readonly parameters: readonly Parameter[];
  /** Number of GP input columns (categorical parameters count once per category). */
  readonly featureCount: number;
  /** Number of distinct points; Infinity when a DOUBLE parameter is present. */
  readonly size: number;
  /** A point of [0, 1)^parameters.length made into legal values. */
  decode(u: readonly number[]): HyperparameterValues;
  /** The centre of the cube cell that `decode` maps to these values (its inverse up to cells). */
  toCube(values: HyperparameterValues): number[];
  /** GP features of the values, each in [0, 1]. */
  encode(values: HyperparameterValues): Float64Array;
  /** A string that is equal for two points exactly when every value is equal. */
  key(values: HyperparameterValues): string;
  /** The i-th point of the finite space, last parameter varying fastest. */
  pointAt(index: number): HyperparameterValues;
}

/** Compile and check a HyperparameterSpec's params. */
export const compileSearchSpace = (spec: Pick<HyperparameterSpec, 'params'>): SearchSpace => {
  if (spec.params.length === 0) throw specViolation('params', 'at least one parameter is required');
  const seen = new Set<string>();
  const parameters = spec.params.map((param, i) => {
    if (seen.has(param.parameterName)) {
      throw specViolation(`params[${i}].parameterName`, `"${param.parameterName}" is used twice`);
    }
    seen.add(param.parameterName);
    return compileParameter(param, `params[${i}]`);
  });
  const featureCount = parameters.reduce((sum, p) => sum + p.features, 0);
  const size = parameters.reduce((product, p) => product * p.cardinality, 1);
  const decode = (u: readonly number[]): HyperparameterValues =>
    Object.fromEntries(parameters.map((p, i) => [p.name, p.sample(u[i] ?? 0)]));
  const valueOf = (values: HyperparameterValues, p: Parameter): ParameterValue => {
    const value = values[p.name];
    if (value === undefined) {
      throw valueError(p.name, '', 'missing');
    }
    return value;
  };
  return {
    parameters,
    featureCount,
    size,
    decode,
    toCube: (values) => parameters.map((p) => p.centre(valueOf(values, p))),
    encode: (values) => {
      const out = new Float64Array(featureCount);
      let offset = 0;
      for (const p of parameters) {
        p.embed(valueOf(values, p), out, offset);
        offset += p.features;
      }
      return out;
    },
    key: (values) => JSON.stringify(parameters.map((p) => values[p.name] ?? null)),
    pointAt: (index) => {
      const entries: [string, ParameterValue][] = [];
      let rest = index;
      for (let i = parameters.length - 1; i >= 0; i -= 1) {
        const p = parameters[i] as Parameter;
        entries.push([p.name, p.valueAt(rest % p.cardinality)]);
        rest = Math.floor(rest / p.cardinality);
      }
      return Object.fromEntries(entries.reverse());
    },
  };
};
