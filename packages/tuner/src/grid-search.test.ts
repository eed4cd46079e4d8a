import { describe, expect, it } from 'vitest';
import { isStratusError } from '@stratus/spec';
import type { HyperparameterSpec } from '@stratus/spec';
import { suggestTrials } from './suggest.js';
import type { TrialRecord } from './trial.js';

const grid: HyperparameterSpec = {
  algorithm: 'GRID_SEARCH',
  maxTrials: 100,
  params: [
    { parameterName: 'units', type: 'INTEGER', minValue: 1, maxValue: 2 },
    { parameterName: 'act', type: 'CATEGORICAL', categoricalValues: ['relu', 'tanh'] },
    { parameterName: 'lr', type: 'DISCRETE', discreteValues: [0.01, 0.1, 1] },
  ],
};

const done = (hyperparameters: Record<string, string>, i: number): TrialRecord => ({
  trialId: String(i + 1),
  hyperparameters,
  state: i % 2 === 0 ? 'SUCCEEDED' : 'FAILED',
  objective: 1,
});

describe('GRID_SEARCH', () => {
  it('enumerates every combination once, in spec order with the last parameter fastest', () => {
    const all = suggestTrials({ spec: grid, trials: [], count: 100, seed: 1 });
    expect(all.map((s) => s.hyperparameters)).toEqual(
      ['1', '2'].flatMap((units) =>
        ['relu', 'tanh'].flatMap((act) => ['0.01', '0.1', '1'].map((lr) => ({ units, act, lr }))),
      ),
    );
    expect(all[0]?.values).toEqual({ units: 1, act: 'relu', lr: 0.01 });
  });

  it('continues where the trials left off and stops when exhausted, whatever maxTrials says', () => {
    const trials: TrialRecord[] = [];
    const seen: string[] = [];
    for (;;) {
      const next = suggestTrials({ spec: grid, trials, count: 5, seed: 1 });
      if (next.length === 0) break;
      for (const s of next) {
        seen.push(JSON.stringify(s.hyperparameters));
        trials.push(done(s.hyperparameters, trials.length));
      }
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(suggestTrials({ spec: grid, trials, count: 5, seed: 1 })).toEqual([]);
  });

  it('skips points a trial in any state already holds', () => {
    const pending: TrialRecord = {
      trialId: '9',
      hyperparameters: { units: '1', act: 'relu', lr: '0.1' },
      state: 'RUNNING',
    };
    const next = suggestTrials({ spec: grid, trials: [pending], count: 2, seed: 1 });
    expect(next.map((s) => s.hyperparameters['lr'])).toEqual(['0.01', '1']);
  });

  it('refuses a DOUBLE parameter, naming it', () => {
    const spec: HyperparameterSpec = {
      ...grid,
      params: [
        ...grid.params,
        { parameterName: 'dropout', type: 'DOUBLE', minValue: 0, maxValue: 0.5 },
      ],
    };
    let caught: unknown;
    try {
      suggestTrials({ spec, trials: [], count: 1, seed: 1 });
    } catch (error) {
      caught = error;
    }
    expect(isStratusError(caught) && caught.reason).toBe('INVALID_HYPERPARAMETER_SPEC');
    expect(isStratusError(caught) && caught.violations[0]?.field).toBe('params[3].type');
    expect(String((caught as Error).message)).toContain(
      'GRID_SEARCH cannot enumerate DOUBLE parameter "dropout"',
    );
  });

  it('refuses a grid of more than a million points, naming the widest parameter', () => {
    const spec: HyperparameterSpec = {
      algorithm: 'GRID_SEARCH',
      params: [
        { parameterName: 'steps', type: 'INTEGER', minValue: 1, maxValue: 600_000 },
        { parameterName: 'act', type: 'CATEGORICAL', categoricalValues: ['relu', 'tanh'] },
      ],
    };
    let caught: unknown;
    try {
      suggestTrials({ spec, trials: [], count: 1, seed: 1 });
    } catch (error) {
      caught = error;
    }
    expect(isStratusError(caught) && caught.violations[0]?.field).toBe('params[0]');
    expect((caught as Error).message).toBe(
      'Invalid hyperparameter spec: params[0]: the grid has 1200000 points, more than 1000000; "steps" alone has 600000 values',
    );
  });

  it('enumerates every integer of an INTEGER range, log scale or not', () => {
    const spec: HyperparameterSpec = {
      algorithm: 'GRID_SEARCH',
      params: [
        {
          parameterName: 'k',
          type: 'INTEGER',
          minValue: 1,
          maxValue: 9,
          scaleType: 'UNIT_LOG_SCALE',
        },
      ],
    };
    const all = suggestTrials({ spec, trials: [], count: 50, seed: 3 });
    expect(all.map((s) => s.values['k'])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
