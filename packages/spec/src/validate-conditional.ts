import type { FieldViolation } from './errors.js';
import {
  MAX_CONDITIONAL_DEPTH,
  type ConditionalParameterSpec,
  type ParameterSpec,
} from './hyperparameters.js';

type Report = (field: string, description: string) => void;

/** A parameter of the tree with its field path (`params[1].conditionalParameterSpecs[0].parameterSpec`). */
export interface ParameterAt {
  readonly param: ParameterSpec;
  readonly path: string;
  readonly depth: number;
}

/** Every parameter of the tree, parents before their children. */
export const parameterTree = (params: readonly ParameterSpec[], path: string): ParameterAt[] => {
  const out: ParameterAt[] = [];
  const visit = (param: ParameterSpec, p: string, depth: number): void => {
    out.push({ param, path: p, depth });
    param.conditionalParameterSpecs?.forEach((branch, k) => {
      visit(branch.parameterSpec, `${p}.conditionalParameterSpecs[${k}].parameterSpec`, depth + 1);
    });
  };
  params.forEach((param, i) => visit(param, `${path}[${i}]`, 0));
  return out;
};

const PARENT_FIELDS = {
  DISCRETE: 'parentDiscreteValues',
  INTEGER: 'parentIntValues',
  CATEGORICAL: 'parentCategoricalValues',
} as const;

type ParentField = (typeof PARENT_FIELDS)[keyof typeof PARENT_FIELDS];

/** Why `value` cannot be a value of the parent, or undefined when it can. */
const parentValueProblem = (parent: ParameterSpec, value: number | string): string | undefined => {
  const name = parent.parameterName;
  switch (parent.type) {
    case 'DISCRETE':
      return parent.discreteValues?.includes(Number(value)) === true
        ? undefined
        : `${value} is not among ${name}'s discreteValues [${parent.discreteValues?.join(', ') ?? ''}]`;
    case 'INTEGER': {
      const { minValue: min, maxValue: max } = parent;
      if (min === undefined || max === undefined) return undefined;
      return Number(value) >= min && Number(value) <= max
        ? undefined
        : `${value} is outside ${name}'s range [${min}, ${max}]`;
    }
    default:
      return parent.categoricalValues?.includes(String(value)) === true
        ? undefined
        : `"${value}" is not among ${name}'s categoricalValues [${parent.categoricalValues?.join(', ') ?? ''}]`;
  }
};

const checkBranch = (
  parent: ParameterSpec,
  branch: ConditionalParameterSpec,
  b: string,
  report: Report,
): void => {
  const given = (Object.values(PARENT_FIELDS) as ParentField[]).filter(
    (field) => branch[field] !== undefined,
  );
  if (parent.type === 'DOUBLE') {
    report(
      `${b}`,
      `${parent.parameterName} is DOUBLE; only DISCRETE, INTEGER and CATEGORICAL parameters can have conditional children`,
    );
    return;
  }
  const expected = PARENT_FIELDS[parent.type];
  if (given.length !== 1 || given[0] !== expected) {
    const wrong = given.find((field) => field !== expected);
    report(
      wrong === undefined ? `${b}.${expected}` : `${b}.${wrong}`,
      `${parent.parameterName} is ${parent.type}: the branch must give ${expected} (and no other parent values)`,
    );
    return;
  }
  const values: readonly (number | string)[] = branch[expected]?.values ?? [];
  if (values.length === 0) {
    report(`${b}.${expected}.values`, 'must list at least one parent value');
  }
  values.forEach((value, k) => {
    const problem = parentValueProblem(parent, value);
    if (problem !== undefined) report(`${b}.${expected}.values[${k}]`, problem);
  });
};

/**
 * Checks of the parameter tree of the HyperparameterSpec at `path`: each branch names values its parent can take
 * (matching the parent's type), nests at most MAX_CONDITIONAL_DEPTH deep, and no
 * name appears twice anywhere in the tree.
 */
export const conditionalViolations = (
  params: readonly ParameterSpec[],
  path: string,
): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  const report: Report = (field, description) => violations.push({ field, description });
  const seen = new Map<string, string>();
  for (const { param, path: p, depth } of parameterTree(params, `${path}.params`)) {
    const first = seen.get(param.parameterName);
    if (first !== undefined) {
      report(`${p}.parameterName`, `duplicate parameter "${param.parameterName}" (also ${first})`);
    } else seen.set(param.parameterName, p.slice(path.length + 1));
    if (depth > MAX_CONDITIONAL_DEPTH) {
      report(
        p,
        `conditional parameters nest at most ${MAX_CONDITIONAL_DEPTH} deep (this is ${depth})`,
      );
    }
    param.conditionalParameterSpecs?.forEach((branch, k) => {
      checkBranch(param, branch, `${p}.conditionalParameterSpecs[${k}]`, report);
    });
  }
  return violations;
};
