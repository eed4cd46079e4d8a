import { describe, expect, it } from 'vitest';
import { defaultMaxFailedTrials, resolveHyperparameterSpec } from './hyperparameter-defaults.js';
import { canTransition, isTerminalState } from './job-state.js';
import { StratusError } from './errors.js';

const params = [{ parameterName: 'lr', type: 'DOUBLE' as const, minValue: 0.001, maxValue: 0.1 }];

describe('resolveHyperparameterSpec', () => {
  it('takes goal and metric from the built-in algorithm', () => {
    expect(resolveHyperparameterSpec({ params }, 'dnn_regressor')).toEqual({
      goal: 'MINIMIZE',
      params,
      maxTrials: 1,
      maxParallelTrials: 1,
      maxFailedTrials: 1,
      hyperparameterMetricTag: 'val_rmse',
      enableTrialEarlyStopping: false,
      algorithm: 'ALGORITHM_UNSPECIFIED',
    });
  });

  it('keeps explicit settings and uses Cloud ML defaults for custom packages', () => {
    expect(
      resolveHyperparameterSpec({
        goal: 'MAXIMIZE',
        params,
        maxTrials: 40,
        maxFailedTrials: 0,
        algorithm: 'RANDOM_SEARCH',
      }),
    ).toMatchObject({
      goal: 'MAXIMIZE',
      maxTrials: 40,
      maxFailedTrials: 10,
      hyperparameterMetricTag: 'training/hptuning/metric',
      algorithm: 'RANDOM_SEARCH',
    });
    expect(defaultMaxFailedTrials(12)).toBe(3);
    expect(defaultMaxFailedTrials(2)).toBe(2);
  });

  it('resolves automatedStoppingConfig: the median rule, or ASHA with its defaults', () => {
    const median = resolveHyperparameterSpec(
      { params, automatedStoppingConfig: { medianAutomatedStoppingConfig: {} } },
      'dnn_classifier',
    );
    expect(median.enableTrialEarlyStopping).toBe(true);
    expect(median.ashaStopping).toBeUndefined();
    const asha = resolveHyperparameterSpec(
      { params, automatedStoppingConfig: { ashaStoppingConfig: { maxSteps: 9 } } },
      'dnn_classifier',
    );
    expect(asha.enableTrialEarlyStopping).toBe(false);
    expect(asha.ashaStopping).toEqual({ minSteps: 1, reductionFactor: 3, maxSteps: 9 });
  });

  it('refuses a custom package spec without a goal', () => {
    expect(() => resolveHyperparameterSpec({ goal: 'GOAL_TYPE_UNSPECIFIED', params })).toThrow(
      StratusError,
    );
    expect(() => resolveHyperparameterSpec({ params })).toThrow(
      'Invalid hyperparameter spec: goal must be MAXIMIZE or MINIMIZE for a custom package',
    );
  });
});

describe('job states', () => {
  it('knows terminal states and allowed moves', () => {
    expect(['SUCCEEDED', 'FAILED', 'CANCELLED'].every((s) => isTerminalState(s as 'FAILED'))).toBe(
      true,
    );
    expect(isTerminalState('CANCELLING')).toBe(false);
    expect(canTransition('QUEUED', 'PREPARING')).toBe(true);
    expect(canTransition('RUNNING', 'CANCELLING')).toBe(true);
    expect(canTransition('CANCELLING', 'CANCELLED')).toBe(true);
    expect(canTransition('QUEUED', 'SUCCEEDED')).toBe(false);
    expect(canTransition('SUCCEEDED', 'FAILED')).toBe(false);
    expect(canTransition('CANCELLED', 'QUEUED')).toBe(false);
  });
});
