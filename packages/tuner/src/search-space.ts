import type { HyperparameterSpec } from '@stratus/spec';
import { compileParameterTree } from './parameter-tree.js';
import type { Parameter, ParameterValue } from './parameter.js';
import { specViolation, valueError } from './spec-errors.js';

/** Typed hyperparameter values keyed by parameterName (numbers, or strings for CATEGORICAL). */
export type HyperparameterValues = Readonly<Record<string, ParameterValue>>;

/** Hyperparameter values as Cloud ML stores them in `TrainingOutput.trials[].hyperparameters`. */
export type HyperparameterStrings = Readonly<Record<string, string>>;

/**
 * A compiled HyperparameterSpec: its parameters (conditional children
 * included, parents first) and the maps between values, the cube and GP
 * features. A point holds exactly its active parameters: the top-level ones,
 * and each child whose parent is present with one of the child's branch values.
 */
export interface SearchSpace {
  readonly parameters: readonly Parameter[];
  /** Field path of each parameter in the spec, e.g. `params[2].conditionalParameterSpecs[0].parameterSpec`. */
  readonly fields: readonly string[];
  /** Number of GP input columns (categorical parameters count once per category). */
  readonly featureCount: number;
  /** Number of distinct reachable points; Infinity when a DOUBLE parameter is present. */
  readonly size: number;
  /** A point of [0, 1)^parameters.length made into legal values; inactive coordinates are unused. */
  decode(u: readonly number[]): HyperparameterValues;
  /** The centre of the cube cell that `decode` maps to these values (its inverse up to cells). */
  toCube(values: HyperparameterValues): number[];
  /** GP features of the values, each in [0, 1]; an inactive parameter's are constant. */
  encode(values: HyperparameterValues): Float64Array;
  /** A string that is equal for two points exactly when every value is equal. */
  key(values: HyperparameterValues): string;
  /** The i-th reachable point of the finite space, last parameter varying fastest. */
  pointAt(index: number): HyperparameterValues;
  /** Whether parameter `index` is active given the values of the parameters before it. */
  isActive(index: number, values: HyperparameterValues): boolean;
}

/**
 * The GP feature of an inactive numeric parameter: the middle of its range.
 * An inactive categorical one gets all-zero one-hot columns (no category).
 * Inactive dimensions are thus constant within a branch and tell the GP
 * nothing; the branch is told apart by its parent's features.
 */
export const INACTIVE_FEATURE = 0.5;

/** Compile and check a HyperparameterSpec's params. */
export const compileSearchSpace = (spec: Pick<HyperparameterSpec, 'params'>): SearchSpace => {
  if (spec.params.length === 0) throw specViolation('params', 'at least one parameter is required');
  const tree = compileParameterTree(spec.params);
  const { parameters, conditions } = tree;
  const featureCount = parameters.reduce((sum, p) => sum + p.features, 0);
  const isActive = (index: number, values: HyperparameterValues): boolean => {
    const condition = conditions[index];
    if (condition === undefined) return true;
    const parent = parameters[condition.parent];
    const value = parent === undefined ? undefined : values[parent.name];
    return value !== undefined && condition.values.has(value);
  };
  const decode = (u: readonly number[]): HyperparameterValues => {
    const out: Record<string, ParameterValue> = {};
    parameters.forEach((p, i) => {
      if (isActive(i, out)) out[p.name] = p.sample(u[i] ?? 0);
    });
    return out;
  };
  return {
    parameters,
    fields: tree.fields,
    featureCount,
    size: tree.size,
    decode,
    toCube: (values) =>
      parameters.map((p) => {
        const value = values[p.name];
        return value === undefined ? 0.5 : p.centre(value);
      }),
    encode: (values) => {
      const out = new Float64Array(featureCount);
      let offset = 0;
      parameters.forEach((p, i) => {
        const value = values[p.name];
        if (isActive(i, values)) {
          if (value === undefined) throw valueError(p.name, '', 'missing');
          p.embed(value, out, offset);
        } else if (p.spec.type !== 'CATEGORICAL') {
          out.fill(INACTIVE_FEATURE, offset, offset + p.features);
        }
        offset += p.features;
      });
      return out;
    },
    key: (values) => JSON.stringify(parameters.map((p) => values[p.name] ?? null)),
    pointAt: tree.pointAt,
    isActive,
  };
};
