/**
 * Standard objectives with known optima for measuring search algorithms:
 * the tuner's tests and bench/tuner both use them.
 */
import type { HyperparameterSpec } from '@stratus/spec';

/** A benchmark objective over named parameters, with its known optimum. */
export interface TestFunction {
  readonly name: string;
  readonly spec: HyperparameterSpec;
  readonly optimum: number;
  evaluate(values: Readonly<Record<string, number | string>>): number;
}

const num = (values: Readonly<Record<string, number | string>>, name: string): number =>
  Number(values[name]);

/** Branin on [−5, 10] × [0, 15]; minimum 0.397887 at three points. */
export const branin: TestFunction = {
  name: 'branin',
  optimum: 0.397887,
  spec: {
    goal: 'MINIMIZE',
    params: [
      { parameterName: 'x1', type: 'DOUBLE', minValue: -5, maxValue: 10 },
      { parameterName: 'x2', type: 'DOUBLE', minValue: 0, maxValue: 15 },
    ],
  },
  evaluate: (v) => {
    const x1 = num(v, 'x1');
    const x2 = num(v, 'x2');
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
  },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];

/** Hartmann-6 on [0, 1]^6; minimum −3.32237. */
export const hartmann6: TestFunction = {
  name: 'hartmann6',
  optimum: -3.32237,
  spec: {
    goal: 'MINIMIZE',
    params: Array.from({ length: 6 }, (_, i) => ({
      parameterName: `x${i + 1}`,
      type: 'DOUBLE' as const,
      minValue: 0,
      maxValue: 1,
    })),
  },
  evaluate: (v) => {
    let sum = 0;
    for (let i = 0; i < 4; i += 1) {
      let inner = 0;
      for (let j = 0; j < 6; j += 1) {
        const a = H_A[i]?.[j] ?? 0;
        const p = (H_P[i]?.[j] ?? 0) * 1e-4;
        inner += a * (num(v, `x${j + 1}`) - p) ** 2;
      }
      sum += (H_ALPHA[i] ?? 0) * Math.exp(-inner);
    }
    return -sum;
  },
};

/**
 * A 4-D quadratic in the units a tuner sees: a learning rate on a log scale
 * (best 3e-3), dropout, momentum and weight decay; maximum 1.
 */
export const quadratic4: TestFunction = {
  name: 'quadratic4',
  optimum: 1,
  spec: {
    goal: 'MAXIMIZE',
    params: [
      {
        parameterName: 'lr',
        type: 'DOUBLE',
        minValue: 1e-5,
        maxValue: 1,
        scaleType: 'UNIT_LOG_SCALE',
      },
      { parameterName: 'dropout', type: 'DOUBLE', minValue: 0, maxValue: 0.8 },
      { parameterName: 'momentum', type: 'DOUBLE', minValue: 0.5, maxValue: 0.99 },
      { parameterName: 'decay', type: 'DOUBLE', minValue: 0, maxValue: 0.1 },
    ],
  },
  evaluate: (v) => {
    const lr = (Math.log10(num(v, 'lr')) + 2.5) / 5;
    const dropout = (num(v, 'dropout') - 0.3) / 0.8;
    const momentum = (num(v, 'momentum') - 0.9) / 0.49;
    const decay = (num(v, 'decay') - 0.01) / 0.1;
    return 1 - (4 * lr ** 2 + dropout ** 2 + 2 * momentum ** 2 + 0.5 * decay ** 2);
  },
};

const braninAt = (x1: number, x2: number): number =>
  branin.evaluate({ x1: String(x1), x2: String(x2) });

/** Branch a: a broad bowl with minimum 0.5; branch b: Branin shifted to minimum 0 (the global one). */
const evaluateBranches = (v: Readonly<Record<string, number | string>>): number =>
  v['branch'] === 'a'
    ? 0.5 + 2 * ((num(v, 'a1') - 0.25) ** 2 + (num(v, 'a2') - 0.75) ** 2)
    : (braninAt(num(v, 'b1'), num(v, 'b2')) - branin.optimum) / 10;

const branchParams = {
  a1: { parameterName: 'a1', type: 'DOUBLE', minValue: 0, maxValue: 1 },
  a2: { parameterName: 'a2', type: 'DOUBLE', minValue: 0, maxValue: 1 },
  b1: { parameterName: 'b1', type: 'DOUBLE', minValue: -5, maxValue: 10 },
  b2: { parameterName: 'b2', type: 'DOUBLE', minValue: 0, maxValue: 15 },
} as const;

/**
 * Two branches with different optima, minimised: `branch` a (a bowl in a1, a2,
 * minimum 0.5) or b (Branin in b1, b2, scaled, minimum 0). Each child is a
 * conditional parameter of its branch.
 */
export const branchedBranin: TestFunction = {
  name: 'branchedBranin',
  optimum: 0,
  spec: {
    goal: 'MINIMIZE',
    params: [
      {
        parameterName: 'branch',
        type: 'CATEGORICAL',
        categoricalValues: ['a', 'b'],
        conditionalParameterSpecs: [
          { parentCategoricalValues: { values: ['a'] }, parameterSpec: { ...branchParams.a1 } },
          { parentCategoricalValues: { values: ['a'] }, parameterSpec: { ...branchParams.a2 } },
          { parentCategoricalValues: { values: ['b'] }, parameterSpec: { ...branchParams.b1 } },
          { parentCategoricalValues: { values: ['b'] }, parameterSpec: { ...branchParams.b2 } },
        ],
      },
    ],
  },
  evaluate: evaluateBranches,
};

/** `branchedBranin` encoded flat: every child always present, the other branch's ignored. */
export const branchedBraninFlat: TestFunction = {
  name: 'branchedBraninFlat',
  optimum: 0,
  spec: {
    goal: 'MINIMIZE',
    params: [
      { parameterName: 'branch', type: 'CATEGORICAL', categoricalValues: ['a', 'b'] },
      ...Object.values(branchParams).map((p) => ({ ...p })),
    ],
  },
  evaluate: evaluateBranches,
};
