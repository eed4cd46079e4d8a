import type { HyperparameterSpec } from '@stratus/spec';
import type { TestFunction } from './benchmark-functions.js';
import { suggestTrials } from './suggest.js';
import type { TrialRecord } from './trial.js';

export { branin, hartmann6, quadratic4, type TestFunction } from './benchmark-functions.js';

/** Run a sequential study of `budget` trials; returns every objective in order. */
export const runStudy = (
  fn: TestFunction,
  algorithm: HyperparameterSpec['algorithm'],
  budget: number,
  seed: number,
  batch = 1,
): number[] => {
  const trials: TrialRecord[] = [];
  const objectives: number[] = [];
  while (trials.length < budget) {
    const count = Math.min(batch, budget - trials.length);
    const proposals = suggestTrials({ spec: { ...fn.spec, algorithm }, trials, count, seed });
    if (proposals.length === 0) break;
    for (const p of proposals) {
      const objective = fn.evaluate(p.values);
      objectives.push(objective);
      trials.push({
        trialId: String(trials.length + 1),
        hyperparameters: p.hyperparameters,
        state: 'SUCCEEDED',
        objective,
      });
    }
  }
  return objectives;
};

/** Best value after each prefix length, for the goal of `fn`. */
export const bestSoFar = (fn: TestFunction, objectives: readonly number[], n: number): number => {
  const prefix = objectives.slice(0, n);
  return fn.spec.goal === 'MINIMIZE' ? Math.min(...prefix) : Math.max(...prefix);
};
