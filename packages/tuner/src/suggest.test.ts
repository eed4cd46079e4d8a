import { describe, expect, it } from 'vitest';
import { isStratusError } from '@stratus/spec';
import type { HyperparameterSpec } from '@stratus/spec';
import { compileSearchSpace } from './search-space.js';
import { suggestTrials } from './suggest.js';
import { readHistory } from './trial.js';
import type { TrialRecord } from './trial.js';

const spec: HyperparameterSpec = {
  goal: 'MAXIMIZE',
  hyperparameterMetricTag: 'val_accuracy',
  maxTrials: 12,
  maxParallelTrials: 3,
  params: [
    {
      parameterName: 'learningRate',
      type: 'DOUBLE',
      minValue: 0.0001,
      maxValue: 0.1,
      scaleType: 'UNIT_LOG_SCALE',
    },
    {
      parameterName: 'hiddenUnits',
      type: 'CATEGORICAL',
      categoricalValues: ['16', '32,16', '64,32'],
    },
  ],
};

const failure = (fn: () => unknown): { reason: string; message: string } => {
  try {
    fn();
  } catch (error) {
    if (isStratusError(error)) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
};

describe('suggestTrials', () => {
  it('returns typed values and the strings Cloud ML stores, which parse back to the same values', () => {
    const [s] = suggestTrials({ spec, trials: [], count: 1, seed: 'iris_dnn_1' });
    expect(typeof s?.values['learningRate']).toBe('number');
    expect(s?.hyperparameters['learningRate']).toBe(String(s?.values['learningRate']));
    expect(Number(s?.hyperparameters['learningRate'])).toBe(s?.values['learningRate']);
    expect(['16', '32,16', '64,32']).toContain(s?.hyperparameters['hiddenUnits']);
    expect(s?.values['hiddenUnits']).toBe(s?.hyperparameters['hiddenUnits']);
  });

  it('accepts history with typed or string values alike', () => {
    const base = { trialId: '1', state: 'SUCCEEDED' as const, objective: 0.9 };
    const typed = suggestTrials({
      spec,
      trials: [{ ...base, hyperparameters: { learningRate: 0.01, hiddenUnits: '16' } }],
      count: 2,
      seed: 1,
    });
    const strings = suggestTrials({
      spec,
      trials: [{ ...base, hyperparameters: { learningRate: '0.01', hiddenUnits: '16' } }],
      count: 2,
      seed: 1,
    });
    expect(typed).toEqual(strings);
  });

  it('returns [] for count 0 and refuses a negative or fractional count', () => {
    expect(suggestTrials({ spec, trials: [], count: 0, seed: 1 })).toEqual([]);
    expect(failure(() => suggestTrials({ spec, trials: [], count: -1, seed: 1 })).message).toBe(
      'count must be a non-negative integer, got -1',
    );
    expect(failure(() => suggestTrials({ spec, trials: [], count: 1.5, seed: 1 })).reason).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it('needs a goal for Bayesian optimisation, takes an override, and lets grid search go without', () => {
    const { goal: _goal, ...noGoal } = spec;
    expect(
      failure(() => suggestTrials({ spec: noGoal, trials: [], count: 1, seed: 1 })).message,
    ).toBe(
      'Invalid hyperparameter spec: goal: must be MAXIMIZE or MINIMIZE to compare trials, got nothing',
    );
    expect(
      failure(() =>
        suggestTrials({
          spec: { ...noGoal, goal: 'GOAL_TYPE_UNSPECIFIED' },
          trials: [],
          count: 1,
          seed: 1,
        }),
      ).reason,
    ).toBe('INVALID_HYPERPARAMETER_SPEC');
    expect(
      suggestTrials({ spec: noGoal, goal: 'MINIMIZE', trials: [], count: 1, seed: 1 }),
    ).toHaveLength(1);
    const grid: HyperparameterSpec = {
      algorithm: 'GRID_SEARCH',
      params: [
        { parameterName: 'hiddenUnits', type: 'CATEGORICAL', categoricalValues: ['16', '32,16'] },
      ],
    };
    expect(suggestTrials({ spec: grid, trials: [], count: 5, seed: 1 })).toHaveLength(2);
  });

  it('names the trial and the parameter when the history holds an illegal value', () => {
    const trials: TrialRecord[] = [
      {
        trialId: '7',
        hyperparameters: { learningRate: 'fast', hiddenUnits: '16' },
        state: 'SUCCEEDED',
        objective: 1,
      },
    ];
    expect(failure(() => suggestTrials({ spec, trials, count: 1, seed: 1 })).message).toBe(
      'Invalid value "fast" for hyperparameter learningRate: trial 7: not a finite number',
    );
  });
});

describe('readHistory', () => {
  const space = compileSearchSpace(spec);
  const at = (lr: string): Record<string, string> => ({ learningRate: lr, hiddenUnits: '16' });

  it('sorts trials into observations, pending and taken by state', () => {
    const trials: TrialRecord[] = [
      { trialId: '1', hyperparameters: at('0.001'), state: 'SUCCEEDED', objective: 0.8 },
      { trialId: '2', hyperparameters: at('0.002'), state: 'FAILED' },
      { trialId: '3', hyperparameters: at('0.003'), state: 'RUNNING' },
      { trialId: '4', hyperparameters: at('0.004'), state: 'QUEUED' },
      // Stopped early: its last report (step 3) stands in for the final metric.
      {
        trialId: '5',
        hyperparameters: at('0.005'),
        state: 'STOPPED',
        intermediate: [
          { step: 3, value: 0.41 },
          { step: 1, value: 0.2 },
          { step: 2, value: 0.45 },
        ],
      },
      // Cloud ML's form of the same thing, with the final metric it recorded.
      {
        trialId: '6',
        hyperparameters: at('0.006'),
        state: 'SUCCEEDED',
        isTrialStoppedEarly: true,
        objective: 0.5,
      },
      // Finished without ever reporting the metric: nothing to learn from.
      { trialId: '7', hyperparameters: at('0.007'), state: 'SUCCEEDED' },
      { trialId: '8', hyperparameters: at('0.008'), state: 'CANCELLED' },
    ];
    const history = readHistory(space, trials);
    expect(history.observations.map((o) => [o.values['learningRate'], o.objective])).toEqual([
      [0.001, 0.8],
      [0.005, 0.41],
      [0.006, 0.5],
    ]);
    expect(history.pending.map((v) => v['learningRate'])).toEqual([0.003, 0.004]);
    expect(history.taken.size).toBe(8);
    expect(history.total).toBe(8);
  });
});
