import { describe, expect, it } from 'vitest';
import type { HyperparameterSpec } from '@stratus/spec';
import { suggestTrials } from './suggest.js';
import type { TrialRecord } from './trial.js';

const spec: HyperparameterSpec = {
  algorithm: 'RANDOM_SEARCH',
  params: [
    {
      parameterName: 'lr',
      type: 'DOUBLE',
      minValue: 1e-5,
      maxValue: 1,
      scaleType: 'UNIT_LOG_SCALE',
    },
    { parameterName: 'dropout', type: 'DOUBLE', minValue: 0, maxValue: 0.5 },
    {
      parameterName: 'units',
      type: 'INTEGER',
      minValue: 8,
      maxValue: 512,
      scaleType: 'UNIT_LOG_SCALE',
    },
  ],
};

const record = (hyperparameters: Record<string, string>, i: number): TrialRecord => ({
  trialId: String(i + 1),
  hyperparameters,
  state: 'SUCCEEDED',
  objective: 0,
});

describe('RANDOM_SEARCH', () => {
  it('is deterministic by seed and continues one sequence across calls', () => {
    const all = suggestTrials({ spec, trials: [], count: 10, seed: 'job-1' });
    expect(suggestTrials({ spec, trials: [], count: 10, seed: 'job-1' })).toEqual(all);
    const first = all.slice(0, 4);
    const rest = suggestTrials({
      spec,
      trials: first.map((s, i) => record(s.hyperparameters, i)),
      count: 6,
      seed: 'job-1',
    });
    expect(rest).toEqual(all.slice(4));
    expect(suggestTrials({ spec, trials: [], count: 10, seed: 'job-2' })).not.toEqual(all);
  });

  it('spreads points evenly on each parameter’s scale', () => {
    const all = suggestTrials({ spec, trials: [], count: 64, seed: 5 });
    // Log scale: each decade of [1e-5, 1] holds a fifth of the points (±1 for the scramble's edges).
    const decades = new Array<number>(5).fill(0);
    for (const s of all) {
      const lr = s.values['lr'] as number;
      expect(lr).toBeGreaterThanOrEqual(1e-5);
      expect(lr).toBeLessThanOrEqual(1);
      const d = Math.min(4, Math.floor(Math.log10(lr) + 5));
      decades[d] = (decades[d] ?? 0) + 1;
      expect(Number.isInteger(s.values['units'])).toBe(true);
    }
    for (const count of decades) expect(Math.abs(count - 12.8)).toBeLessThanOrEqual(1.2);
    // Linear scale: each eighth of [0, 0.5] holds exactly 8 of the first 64 points.
    const eighths = new Array<number>(8).fill(0);
    for (const s of all) {
      const i = Math.floor(((s.values['dropout'] as number) / 0.5) * 8);
      eighths[i] = (eighths[i] ?? 0) + 1;
    }
    expect(eighths).toEqual([8, 8, 8, 8, 8, 8, 8, 8]);
  });

  it('never repeats a point of a finite space and returns [] once it is used up', () => {
    const small: HyperparameterSpec = {
      algorithm: 'RANDOM_SEARCH',
      params: [
        { parameterName: 'a', type: 'CATEGORICAL', categoricalValues: ['x', 'y', 'z'] },
        { parameterName: 'b', type: 'DISCRETE', discreteValues: [1, 2] },
      ],
    };
    const trials: TrialRecord[] = [];
    for (let round = 0; round < 4; round += 1) {
      for (const s of suggestTrials({ spec: small, trials, count: 2, seed: 8 })) {
        trials.push(record(s.hyperparameters, trials.length));
      }
    }
    expect(trials).toHaveLength(6);
    expect(new Set(trials.map((t) => JSON.stringify(t.hyperparameters))).size).toBe(6);
    expect(suggestTrials({ spec: small, trials, count: 2, seed: 8 })).toEqual([]);
  });
});
