import { StratusError } from '@stratus/spec';
import type { HyperparameterSpec } from '@stratus/spec';
import { suggestBayesian } from './bayesian-optimization.js';
import type { BayesianOptions } from './bayesian-optimization.js';
import { resolveGoal } from './goal.js';
import type { Goal } from './goal.js';
import { suggestGrid } from './grid-search.js';
import { createRng, deriveSeed } from './prng.js';
import type { Seed } from './prng.js';
import { suggestRandom } from './random-search.js';
import { compileSearchSpace } from './search-space.js';
import type { HyperparameterStrings, HyperparameterValues } from './search-space.js';
import { formatHyperparameters, readHistory } from './trial.js';
import type { TrialRecord } from './trial.js';

export interface SuggestTrialsInput {
  readonly spec: HyperparameterSpec;
  /** Every trial of the study so far, in any state (a resumed job's included). */
  readonly trials: readonly TrialRecord[];
  /** How many new trials to propose (e.g. free parallel slots). */
  readonly count: number;
  /** Same spec, trials and seed → same proposals. A job id is a good seed. */
  readonly seed: Seed;
  /** Overrides `spec.goal`, e.g. with a built-in algorithm's default goal. */
  readonly goal?: Goal;
  readonly bayesian?: BayesianOptions;
}

/** One proposed trial. */
export interface Suggestion {
  /** Typed values: numbers for DOUBLE/INTEGER/DISCRETE, strings for CATEGORICAL. */
  readonly values: HyperparameterValues;
  /** The same values as Cloud ML stores them in `TrainingOutput.trials[].hyperparameters`. */
  readonly hyperparameters: HyperparameterStrings;
}

/**
 * Propose up to `count` new trials with the spec's algorithm. Fewer (or none)
 * only when the search space is exhausted: every grid point, or every point of
 * a finite space, already has a trial. It does not cap `count` by `maxTrials`,
 * which the caller counts (a resumed study's history does not use up the new
 * job's budget).
 */
export const suggestTrials = (input: SuggestTrialsInput): Suggestion[] => {
  const { spec, trials, count, seed } = input;
  if (!Number.isInteger(count) || count < 0) {
    throw new StratusError('INVALID_ARGUMENT', {
      detail: `count must be a non-negative integer, got ${count}`,
    });
  }
  const space = compileSearchSpace(spec);
  const algorithm = spec.algorithm ?? 'ALGORITHM_UNSPECIFIED';
  // Only Bayesian optimisation compares objectives; grid and random search need no goal.
  const goal = algorithm === 'ALGORITHM_UNSPECIFIED' ? resolveGoal(spec, input.goal) : undefined;
  const history = readHistory(space, trials);
  if (count === 0) return [];
  const rng = createRng(deriveSeed(seed, history.total, count));
  let values: HyperparameterValues[];
  switch (algorithm) {
    case 'GRID_SEARCH':
      values = suggestGrid(space, history, count);
      break;
    case 'RANDOM_SEARCH':
      values = suggestRandom(space, history, count, seed, rng);
      break;
    default:
      values = suggestBayesian(
        space,
        history,
        count,
        goal ?? 'MAXIMIZE',
        seed,
        rng,
        input.bayesian,
      );
  }
  return values.map((v) => ({ values: v, hyperparameters: formatHyperparameters(space, v) }));
};
