import { resolveAshaStopping, type ResolvedAshaStopping } from './automated-stopping.js';
import { getBuiltinAlgorithm } from './builtin-algorithms.js';
import { StratusError } from './errors.js';
import {
  DEFAULT_HYPERPARAMETER_METRIC_TAG,
  type HyperparameterSpec,
  type ParameterSpec,
  type SearchAlgorithm,
} from './hyperparameters.js';

/** A HyperparameterSpec with every default applied: what the tuner and controller use. */
export interface ResolvedHyperparameterSpec {
  readonly goal: 'MAXIMIZE' | 'MINIMIZE';
  readonly params: readonly ParameterSpec[];
  readonly maxTrials: number;
  readonly maxParallelTrials: number;
  readonly maxFailedTrials: number;
  readonly hyperparameterMetricTag: string;
  /** The median stopping rule: `enableTrialEarlyStopping` or `medianAutomatedStoppingConfig`. */
  readonly enableTrialEarlyStopping: boolean;
  /** Successive halving (`automatedStoppingConfig.ashaStoppingConfig`), with its defaults. */
  readonly ashaStopping?: ResolvedAshaStopping;
  readonly resumePreviousJobId?: string;
  readonly algorithm: SearchAlgorithm;
}

/**
 * When maxFailedTrials is 0 or unset Cloud ML "decides"; Stratus fails the job
 * after a quarter of maxTrials (at least 3, at most maxTrials) have failed, so
 * a broken trainer stops early but a few flaky trials do not end the search.
 */
export const defaultMaxFailedTrials = (maxTrials: number): number =>
  Math.min(maxTrials, Math.max(3, Math.ceil(maxTrials / 4)));

/**
 * The metric a trial's objective is read from: the spec's `hyperparameterMetricTag`, else the
 * built-in algorithm's default (`val_accuracy` / `val_rmse`), else hypertune's default
 * (`training/hptuning/metric`). The one place this default is decided.
 */
export const objectiveMetricTag = (tag: string | undefined, builtinName?: string): string =>
  tag ??
  (builtinName === undefined ? undefined : getBuiltinAlgorithm(builtinName)?.defaultMetricTag) ??
  DEFAULT_HYPERPARAMETER_METRIC_TAG;

/**
 * Apply defaults to a validated spec: goal and metric from the built-in
 * algorithm (when `builtinName` is given), maxTrials 1, maxParallelTrials 1.
 */
export const resolveHyperparameterSpec = (
  spec: HyperparameterSpec,
  builtinName?: string,
): ResolvedHyperparameterSpec => {
  const builtin = builtinName === undefined ? undefined : getBuiltinAlgorithm(builtinName);
  const explicitGoal = spec.goal === 'MAXIMIZE' || spec.goal === 'MINIMIZE' ? spec.goal : undefined;
  const goal = explicitGoal ?? builtin?.defaultGoal;
  if (goal === undefined) {
    throw new StratusError('INVALID_HYPERPARAMETER_SPEC', {
      detail: 'goal must be MAXIMIZE or MINIMIZE for a custom package',
    });
  }
  const maxTrials = spec.maxTrials ?? 1;
  return {
    goal,
    params: spec.params,
    maxTrials,
    maxParallelTrials: spec.maxParallelTrials ?? 1,
    maxFailedTrials:
      spec.maxFailedTrials === undefined || spec.maxFailedTrials === 0
        ? defaultMaxFailedTrials(maxTrials)
        : spec.maxFailedTrials,
    hyperparameterMetricTag: objectiveMetricTag(spec.hyperparameterMetricTag, builtinName),
    enableTrialEarlyStopping:
      spec.enableTrialEarlyStopping === true ||
      spec.automatedStoppingConfig?.medianAutomatedStoppingConfig !== undefined,
    ...(spec.automatedStoppingConfig?.ashaStoppingConfig === undefined
      ? {}
      : { ashaStopping: resolveAshaStopping(spec.automatedStoppingConfig.ashaStoppingConfig) }),
    ...(spec.resumePreviousJobId === undefined
      ? {}
      : { resumePreviousJobId: spec.resumePreviousJobId }),
    algorithm: spec.algorithm ?? 'ALGORITHM_UNSPECIFIED',
  };
};
