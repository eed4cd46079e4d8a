// bench/tuner: how fast each search algorithm finds the optimum of two standard test functions.
// Branin (2-D, minimum 0.397887) and Hartmann-6 (6-D, minimum -3.32237), minimised; the tuner is
// called directly, one trial at a time, as the controller does with maxParallelTrials 1.
// Prints one JSON line: per function and algorithm, the median over SEEDS of the best value found
// after 20, 40 and 60 trials; the median simple regret at 60; the random/Bayesian regret ratio;
// trials the Bayesian search needed to reach Branin <= 0.40; the time of one Bayesian
// proposal with 100 past trials; and, on a conditional problem (branch a: a bowl with minimum
// 0.5, branch b: scaled Branin with minimum 0), the Bayesian median regret at 40 trials with the
// children as conditional parameters vs the flat encoding (every child always present).
//   npm run bench:tuner        (BENCH_SEEDS=10 by default)
import type { HyperparameterSpec, ParameterSpec } from '@stratus/spec';
import {
  branchedBranin,
  branchedBraninFlat,
  branin,
  hartmann6,
  suggestTrials,
  type TestFunction,
  type TrialRecord,
} from '@stratus/tuner';

type Algorithm = 'ALGORITHM_UNSPECIFIED' | 'RANDOM_SEARCH' | 'GRID_SEARCH';

const SEEDS = Number(process.env.BENCH_SEEDS ?? 10);
const BUDGET = 60;
const CHECKPOINTS = [20, 40, 60];

interface Problem {
  readonly fn: TestFunction;
  /** Points per dimension of the grid-search discretisation. */
  readonly gridPoints: number;
}

const PROBLEMS: Problem[] = [
  { fn: branin, gridPoints: 8 },
  { fn: hartmann6, gridPoints: 3 },
];

/** The problem's box as DOUBLE parameters, or as a grid of DISCRETE ones. */
function specFor(problem: Problem, algorithm: Algorithm): HyperparameterSpec {
  const params: ParameterSpec[] = problem.fn.spec.params.map((param) => {
    const min = param.minValue ?? 0;
    const max = param.maxValue ?? 1;
    return algorithm === 'GRID_SEARCH'
      ? {
          parameterName: param.parameterName,
          type: 'DISCRETE',
          discreteValues: Array.from(
            { length: problem.gridPoints },
            (_, k) => min + ((max - min) * k) / (problem.gridPoints - 1),
          ),
        }
      : { ...param, scaleType: 'UNIT_LINEAR_SCALE' };
  });
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
    const value = problem.fn.evaluate(next.values);
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
    regretAt60[algorithm] = at(BUDGET) - problem.fn.optimum;
    if (problem.fn.name === 'branin' && algorithm === 'ALGORITHM_UNSPECIFIED') {
      const reach = runs.map((run) => {
        const index = run.findIndex((value) => value <= 0.4);
        return index === -1 ? Infinity : index + 1;
      });
      report.braninBayesianMedianTrialsTo0_40 = median(reach);
    }
  }
  report[problem.fn.name] = {
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

// Conditional parameters vs the flat encoding of the same problem, Bayesian, 40 trials.
{
  const CONDITIONAL_BUDGET = 40;
  const regret = (fn: TestFunction): number => {
    const bests = Array.from({ length: SEEDS }, (_, seed) => {
      const trials: TrialRecord[] = [];
      let best = Infinity;
      while (trials.length < CONDITIONAL_BUDGET) {
        const spec = { ...fn.spec, maxTrials: CONDITIONAL_BUDGET };
        const [next] = suggestTrials({ spec, trials, count: 1, seed: seed + 1 });
        if (next === undefined) break;
        const value = fn.evaluate(next.values);
        best = Math.min(best, value);
        trials.push({
          trialId: String(trials.length + 1),
          hyperparameters: next.hyperparameters,
          state: 'SUCCEEDED',
          objective: value,
        });
      }
      return best - fn.optimum;
    });
    return round(median(bests));
  };
  report.conditionalMedianRegretAt40 = {
    conditional: regret(branchedBranin),
    flat: regret(branchedBraninFlat),
  };
}

console.log(JSON.stringify(report));
