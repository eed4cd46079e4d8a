import type { HyperparameterSpec } from '@stratus/spec';
import { specViolation } from './spec-errors.js';

/** A resolved optimisation direction. */
export type Goal = 'MAXIMIZE' | 'MINIMIZE';

/**
 * The goal to optimise: `override` if given (e.g. a built-in algorithm's
 * default), else the spec's. An unset or GOAL_TYPE_UNSPECIFIED goal is an
 * error here, since guessing a direction would silently optimise backwards.
 */
export const resolveGoal = (spec: Pick<HyperparameterSpec, 'goal'>, override?: Goal): Goal => {
  const goal = override ?? spec.goal;
  if (goal === 'MAXIMIZE' || goal === 'MINIMIZE') return goal;
  const description = `must be MAXIMIZE or MINIMIZE to compare trials, got ${goal ?? 'nothing'}`;
  throw specViolation('goal', description);
};
