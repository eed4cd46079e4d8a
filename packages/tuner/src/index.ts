export { suggestTrials, type SuggestTrialsInput, type Suggestion } from './suggest.js';
export {
  shouldStopTrial,
  type MedianStoppingOptions,
  type ShouldStopTrialInput,
  type StopDecision,
} from './median-stopping.js';
export {
  ashaDecision,
  ashaRungs,
  type AshaDecision,
  type AshaInput,
  type AshaOptions,
} from './asha-stopping.js';
export {
  formatHyperparameters,
  parseHyperparameters,
  type IntermediateValue,
  type TrialRecord,
  type TrialState,
} from './trial.js';
export {
  compileSearchSpace,
  type HyperparameterStrings,
  type HyperparameterValues,
  type SearchSpace,
} from './search-space.js';
export type { Parameter, ParameterValue } from './parameter.js';
export { checkGrid, MAX_GRID_POINTS } from './grid-search.js';
export { resolveGoal, type Goal } from './goal.js';
export type { BayesianOptions } from './bayesian-optimization.js';
export type { GpFitOptions } from './gp-fit.js';
export type { AcquisitionSearchOptions } from './acquisition-optimizer.js';
export type { Seed } from './prng.js';
export {
  branchedBranin,
  branchedBraninFlat,
  branin,
  hartmann6,
  quadratic4,
  type TestFunction,
} from './benchmark-functions.js';
