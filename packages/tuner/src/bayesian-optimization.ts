import { maximizeAcquisition } from './acquisition-optimizer.js';
import type { AcquisitionSearchOptions } from './acquisition-optimizer.js';
import { logExpectedImprovement } from './expected-improvement.js';
import type { Goal } from './goal.js';
import { warpOutputs } from './output-warping.js';
import { fitGaussianProcess } from './gp-fit.js';
import type { GpFitOptions } from './gp-fit.js';
import type { Rng, Seed } from './prng.js';
import { suggestRandom } from './random-search.js';
import type { HyperparameterValues, SearchSpace } from './search-space.js';
import type { StudyHistory } from './trial.js';

/** Tuning knobs of the Bayesian optimiser; the defaults suit 1–20 parameters. */
export interface BayesianOptions {
  /** Quasi-random trials before the GP is used. @defaultValue max(2, parameters + 1) */
  readonly initialTrials?: number;
  readonly fit?: GpFitOptions;
  readonly acquisition?: AcquisitionSearchOptions;
}

/**
 * ALGORITHM_UNSPECIFIED: Bayesian optimisation. The first trials follow the
 * study's quasi-random sequence (the same points RANDOM_SEARCH would give);
 * afterwards a GP (Matérn 5/2, ARD, fitted by marginal likelihood) models the
 * objective — negated for MINIMIZE, then warped and standardised — of the
 * finished trials (failed ones excluded; stopped ones at their last report),
 * and each proposal maximises expected improvement. Pending trials and the
 * batch's earlier proposals enter the GP as a constant liar at the best value
 * seen (optimistic, as scikit-optimize's default), so a batch spreads out
 * instead of repeating one point. Points any trial holds are never proposed
 * again while the space has others.
 */
export const suggestBayesian = (
  space: SearchSpace,
  history: StudyHistory,
  count: number,
  goal: Goal,
  seed: Seed,
  rng: Rng,
  options: BayesianOptions = {},
): HyperparameterValues[] => {
  const initial = options.initialTrials ?? Math.max(2, space.parameters.length + 1);
  const { observations } = history;
  const canModel = observations.length >= 2 && space.featureCount > 0;
  const quasi = canModel ? Math.min(count, Math.max(0, initial - history.total)) : count;
  const out = suggestRandom(space, history, quasi, seed, rng);
  if (out.length >= count || !canModel) return out;

  const sign = goal === 'MINIMIZE' ? -1 : 1;
  const outputs = warpOutputs(observations.map((o) => sign * o.objective));
  const inputs = observations.map((o) => space.encode(o.values));
  const gp = fitGaussianProcess(inputs, outputs, rng, options.fit);
  const fallback = (): HyperparameterValues[] => {
    const taken = new Set([...history.taken, ...out.map(space.key)]);
    const rest = { ...history, taken, total: history.total + out.length };
    return [...out, ...suggestRandom(space, rest, count - out.length, seed, rng)];
  };
  if (gp === undefined) return fallback();

  const best = Math.max(...outputs);
  const lies = [...history.pending, ...out];
  let model =
    gp.condition(
      lies.map(space.encode),
      lies.map(() => best),
    ) ?? gp;
  const taken = new Set([...history.taken, ...out.map(space.key)]);
  const anchors = observations
    .map((o, i) => ({ o, y: outputs[i] ?? -Infinity }))
    .sort((a, b) => b.y - a.y)
    .slice(0, 3)
    .map(({ o }) => space.toCube(o.values));
  while (out.length < count) {
    const current = model;
    const pick = maximizeAcquisition(
      space,
      (x) => {
        const { mean: m, variance } = current.predict(x);
        return logExpectedImprovement(m, variance, best);
      },
      taken,
      anchors,
      rng,
      options.acquisition,
    );
    if (pick === undefined) return fallback();
    out.push(pick.values);
    taken.add(pick.key);
    model = model.condition([space.encode(pick.values)], [best]) ?? model;
  }
  return out;
};
