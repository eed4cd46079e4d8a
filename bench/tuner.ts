// bench/tuner: how fast each search algorithm finds the optimum of two standard test functions.
// Branin (2-D, minimum 0.397887) and Hartmann-6 (6-D, minimum -3.32237), minimised; the tuner is
// called directly, one trial at a time, as the controller does with maxParallelTrials 1.
// Prints one JSON line: per function and algorithm, the median over SEEDS of the best value found
// after 20, 40 and 60 trials; the median simple regret at 60; the random/Bayesian regret ratio;
// trials the Bayesian search needed to reach Branin <= 0.40; and the time of one Bayesian
// proposal with 100 past trials.
//   npm run bench:tuner        (BENCH_SEEDS=10 by default)
import type { HyperparameterSpec, ParameterSpec } from '@stratus/spec';
import { suggestTrials, type TrialRecord } from '@stratus/tuner';

type Objective = (x: readonly number[]) => number;
type Algorithm = 'ALGORITHM_UNSPECIFIED' | 'RANDOM_SEARCH' | 'GRID_SEARCH';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 10);
const BUDGET = 60;
const CHECKPOINTS = [20, 40, 60];

const branin: Objective = ([x = 0, y = 0]) =>
  (y - (5.1 / (4 * Math.PI ** 2)) * x ** 2 + (5 / Math.PI) * x - 6) ** 2 +
  10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) +
  10;

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
].map((row) => row.map((v) => v * 1e-4));
const hartmann6: Objective = (x) =>
  -H_ALPHA.reduce((sum, alpha, i) => {
    const inner = x.reduce(
      (acc, xj, j) => acc + (H_A[i]?.[j] ?? 0) * (xj - (H_P[i]?.[j] ?? 0)) ** 2,
      0,
    );
    return sum + alpha * Math.exp(-inner);
  }, 0);

interface Problem {
  readonly name: string;
  readonly objective: Objective;
  readonly optimum: number;
  readonly bounds: ReadonlyArray<readonly [number, number]>;
  /** Points per dimension of the grid-search discretisation. */
  readonly gridPoints: number;
}

const PROBLEMS: Problem[] = [
  {
    name: 'branin',
    objective: branin,
    optimum: 0.397887,
    bounds: [
      [-5, 10],
      [0, 15],
    ],
    gridPoints: 8,
  },
  {
    name: 'hartmann6',
    objective: hartmann6,
    optimum: -3.32237,
    bounds: Array.from({ length: 6 }, () => [0, 1] as const),
    gridPoints: 3,
  },
];

function specFor(problem: Problem, algorithm: Algorithm): HyperparameterSpec {
  const params: ParameterSpec[] = problem.bounds.map(([min, max], i) =>
    algorithm === 'GRID_SEARCH'
      ? {
          parameterName: `x${i}`,
          type: 'DISCRETE',
          discreteValues: Array.from(
            { length: problem.gridPoints },
            (_, k) => min + ((max - min) * k) / (problem.gridPoints - 1),
          ),
        }
      : {
          parameterName: `x${i}`,
          type: 'DOUBLE',
          minValue: min,
          maxValue: max,
          scaleType: 'UNIT_LINEAR_SCALE',
        },
  );
  return { goal: 'MINIMIZE', algorithm, maxTrials: BUDGET, maxParallelTrials: 1, params };
}

/** Best-so-far after each trial of one study. */
function study(problem: Problem, algorithm: Algorithm, seed: number): number[] {
  const spec = specFor(problem, algorithm);
  const trials: TrialRecord[] = [];
  const best: number[] = [];
  while (trials.length < BUDGET) {
    const [next] = suggestTrials({ spec, trials, count: 1, seed });
    if (next === undefined) break;
    const x = problem.bounds.map((_, i) => Number(next.values[`x${i}`]));
    const value = problem.objective(x);
    trials.push({
      trialId: String(trials.length + 1),
      hyperparameters: next.hyperparameters,
      state: 'SUCCEEDED',
      objective: value,
    });
    best.push(Math.min(value, best.at(-1) ?? Infinity));
  }
  return best;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const round = (value: number): number => Number(value.toPrecision(5));

const report: Record<string, unknown> = { bench: 'tuner', seeds: SEEDS };
for (const problem of PROBLEMS) {
  const byAlgorithm: Record<string, unknown> = {};
  const regretAt60: Record<string, number> = {};
  for (const algorithm of ['ALGORITHM_UNSPECIFIED', 'RANDOM_SEARCH', 'GRID_SEARCH'] as const) {
    const runs = Array.from({ length: SEEDS }, (_, seed) => study(problem, algorithm, seed + 1));
    const at = (n: number): number =>
      median(runs.map((run) => run[Math.min(n, run.length) - 1] ?? Infinity));
    byAlgorithm[algorithm] = Object.fromEntries(
      CHECKPOINTS.map((n) => [`best@${n}`, round(at(n))]),
    );
    regretAt60[algorithm] = at(BUDGET) - problem.optimum;
    if (problem.name === 'branin' && algorithm === 'ALGORITHM_UNSPECIFIED') {
      const reach = runs.map((run) => {
        const index = run.findIndex((value) => value <= 0.4);
        return index === -1 ? Infinity : index + 1;
      });
      report.braninBayesianMedianTrialsTo0_40 = median(reach);
    }
  }
  report[problem.name] = {
    ...byAlgorithm,
    medianRegretAt60: Object.fromEntries(Object.entries(regretAt60).map(([k, v]) => [k, round(v)])),
    regretRatioRandomOverBayesian: round(
      (regretAt60.RANDOM_SEARCH ?? NaN) / Math.max(regretAt60.ALGORITHM_UNSPECIFIED ?? NaN, 1e-12),
    ),
  };
}

// One Bayesian proposal with 100 past trials (4-D), median of 5.
{
  const spec: HyperparameterSpec = {
    goal: 'MINIMIZE',
    maxTrials: 200,
    params: Array.from({ length: 4 }, (_, i) => ({
      parameterName: `x${i}`,
      type: 'DOUBLE' as const,
      minValue: 0,
      maxValue: 1,
    })),
  };
  const history = suggestTrials({
    spec: { ...spec, algorithm: 'RANDOM_SEARCH' },
    trials: [],
    count: 100,
    seed: 9,
  });
  const trials: TrialRecord[] = history.map((s, i) => ({
    trialId: String(i + 1),
    hyperparameters: s.hyperparameters,
    state: 'SUCCEEDED',
    objective: Object.values(s.values).reduce<number>((sum, v) => sum + (Number(v) - 0.3) ** 2, 0),
  }));
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const start = performance.now();
    suggestTrials({ spec, trials, count: 1, seed: i });
    times.push(performance.now() - start);
  }
  report.bayesianProposalMsWith100Trials = Math.round(median(times));
}

console.log(JSON.stringify(report));
