import { describe, expect, it } from 'vitest';
import type { HyperparameterSpec } from '@stratus/spec';
import { compileSearchSpace } from './search-space.js';
import { suggestTrials } from './suggest.js';
import { bestSoFar, branin, quadratic4, runStudy } from './test-functions.test-support.js';
import type { TestFunction } from './test-functions.test-support.js';
import type { TrialRecord } from './trial.js';

const meanRegret = (
  fn: TestFunction,
  algorithm: HyperparameterSpec['algorithm'],
  budget: number,
  seeds: number[],
): number =>
  seeds.reduce((sum, seed) => {
    const objectives = runStudy(fn, algorithm, budget, seed);
    return sum + Math.abs(bestSoFar(fn, objectives, budget) - fn.optimum);
  }, 0) / seeds.length;

const completedTrials = (fn: TestFunction, count: number, seed: number): TrialRecord[] =>
  suggestTrials({ spec: { ...fn.spec, algorithm: 'RANDOM_SEARCH' }, trials: [], count, seed }).map(
    (s, i) => ({
      trialId: String(i + 1),
      hyperparameters: s.hyperparameters,
      state: 'SUCCEEDED',
      objective: fn.evaluate(s.values),
    }),
  );

const cubeDistance = (
  fn: TestFunction,
  a: Record<string, number | string>,
  b: Record<string, number | string>,
): number => {
  const space = compileSearchSpace(fn.spec);
  const [x, y] = [space.encode(a), space.encode(b)];
  return Math.sqrt(x.reduce((s, v, i) => s + (v - (y[i] ?? 0)) ** 2, 0));
};

describe('ALGORITHM_UNSPECIFIED (Bayesian optimisation)', () => {
  it('beats quasi-random search on Branin (MINIMIZE, 2-D) in 25 trials, averaged over 4 seeds', () => {
    const seeds = [1, 2, 3, 4];
    const bayes = meanRegret(branin, 'ALGORITHM_UNSPECIFIED', 25, seeds);
    const random = meanRegret(branin, 'RANDOM_SEARCH', 25, seeds);
    expect(bayes).toBeLessThan(random / 5);
    expect(bayes).toBeLessThan(0.1);
  }, 180_000);

  it('beats quasi-random search on a 4-D quadratic with a log-scale parameter (MAXIMIZE) in 25 trials', () => {
    const seeds = [1, 2, 3, 4];
    const bayes = meanRegret(quadratic4, 'ALGORITHM_UNSPECIFIED', 25, seeds);
    const random = meanRegret(quadratic4, 'RANDOM_SEARCH', 25, seeds);
    expect(bayes).toBeLessThan(random / 3);
  }, 180_000);

  it('is deterministic: same trials and seed, same proposals', () => {
    const trials = completedTrials(quadratic4, 8, 4);
    const a = suggestTrials({ spec: quadratic4.spec, trials, count: 2, seed: 'job' });
    expect(suggestTrials({ spec: quadratic4.spec, trials, count: 2, seed: 'job' })).toEqual(a);
    expect(suggestTrials({ spec: quadratic4.spec, trials, count: 2, seed: 'other' })).not.toEqual(
      a,
    );
  });

  it('starts with the quasi-random design, max(2, parameters + 1) trials', () => {
    const spec = { ...quadratic4.spec };
    const first = suggestTrials({ spec, trials: [], count: 5, seed: 3 });
    const random = suggestTrials({
      spec: { ...spec, algorithm: 'RANDOM_SEARCH' },
      trials: [],
      count: 5,
      seed: 3,
    });
    expect(first).toEqual(random);
  });

  it('spreads a parallel batch with the constant liar: distinct points, away from pending ones', () => {
    const trials: TrialRecord[] = [
      ...completedTrials(quadratic4, 10, 2),
      {
        trialId: '11',
        hyperparameters: { lr: '0.003', dropout: '0.3', momentum: '0.9', decay: '0.01' },
        state: 'RUNNING',
      },
    ];
    const batch = suggestTrials({ spec: quadratic4.spec, trials, count: 4, seed: 5 });
    expect(batch).toHaveLength(4);
    const points = [
      ...batch.map((s) => s.values),
      { lr: 0.003, dropout: 0.3, momentum: 0.9, decay: 0.01 },
    ];
    for (let i = 0; i < points.length; i += 1) {
      for (let j = 0; j < i; j += 1) {
        expect(cubeDistance(quadratic4, points[i] ?? {}, points[j] ?? {})).toBeGreaterThan(0.02);
      }
    }
  });

  it('leaves failed trials out of the model: with only failures it keeps to the quasi-random design', () => {
    const failed = completedTrials(quadratic4, 6, 9).map((t) => ({
      ...t,
      state: 'FAILED' as const,
      objective: undefined,
    }));
    const bayes = suggestTrials({ spec: quadratic4.spec, trials: failed, count: 2, seed: 9 });
    const random = suggestTrials({
      spec: { ...quadratic4.spec, algorithm: 'RANDOM_SEARCH' },
      trials: failed,
      count: 2,
      seed: 9,
    });
    expect(bayes).toEqual(random);
  });

  it('returns exact legal values in a mixed space and never repeats a point of a finite one', () => {
    const spec: HyperparameterSpec = {
      goal: 'MAXIMIZE',
      params: [
        {
          parameterName: 'optimizer',
          type: 'CATEGORICAL',
          categoricalValues: ['adam', 'sgd', 'rmsprop'],
        },
        { parameterName: 'layers', type: 'INTEGER', minValue: 1, maxValue: 3 },
        { parameterName: 'batch', type: 'DISCRETE', discreteValues: [16, 64] },
      ],
    };
    const score = (v: Record<string, number | string>): number =>
      (v['optimizer'] === 'adam' ? 1 : 0) +
      0.1 * Number(v['layers']) -
      (v['batch'] === 64 ? 0.05 : 0);
    const trials: TrialRecord[] = [];
    for (;;) {
      const next = suggestTrials({ spec, trials, count: 2, seed: 4 });
      if (next.length === 0) break;
      for (const s of next) {
        expect(['adam', 'sgd', 'rmsprop']).toContain(s.values['optimizer']);
        expect([1, 2, 3]).toContain(s.values['layers']);
        expect([16, 64]).toContain(s.values['batch']);
        expect(s.hyperparameters).toEqual({
          optimizer: s.values['optimizer'],
          layers: String(s.values['layers']),
          batch: String(s.values['batch']),
        });
        trials.push({
          trialId: String(trials.length + 1),
          hyperparameters: s.hyperparameters,
          state: 'SUCCEEDED',
          objective: score(s.values),
        });
      }
    }
    expect(trials).toHaveLength(18);
    expect(new Set(trials.map((t) => JSON.stringify(t.hyperparameters))).size).toBe(18);
  }, 60_000);

  it('mixes a DOUBLE with categorical, integer and discrete parameters and favours the good category', () => {
    const spec: HyperparameterSpec = {
      goal: 'MINIMIZE',
      params: [
        {
          parameterName: 'lr',
          type: 'DOUBLE',
          minValue: 1e-4,
          maxValue: 1,
          scaleType: 'UNIT_LOG_SCALE',
        },
        { parameterName: 'act', type: 'CATEGORICAL', categoricalValues: ['relu', 'tanh', 'elu'] },
        {
          parameterName: 'units',
          type: 'INTEGER',
          minValue: 4,
          maxValue: 256,
          scaleType: 'UNIT_LOG_SCALE',
        },
        {
          parameterName: 'gamma',
          type: 'DISCRETE',
          discreteValues: [0.9, 0.99, 0.999],
          scaleType: 'UNIT_REVERSE_LOG_SCALE',
        },
      ],
    };
    const loss = (v: Record<string, number | string>): number =>
      (Math.log10(Number(v['lr'])) + 2) ** 2 +
      (v['act'] === 'tanh' ? 0 : 1) +
      (Math.log2(Number(v['units'])) - 6) ** 2 / 4;
    const trials: TrialRecord[] = [];
    while (trials.length < 24) {
      for (const s of suggestTrials({ spec, trials, count: 3, seed: 21 })) {
        expect(Number.isInteger(s.values['units'])).toBe(true);
        expect(s.values['units']).toBeGreaterThanOrEqual(4);
        expect(s.values['units']).toBeLessThanOrEqual(256);
        expect([0.9, 0.99, 0.999]).toContain(s.values['gamma']);
        trials.push({
          trialId: String(trials.length + 1),
          hyperparameters: s.hyperparameters,
          state: 'SUCCEEDED',
          objective: loss(s.values),
        });
      }
    }
    const lastTwelve = trials.slice(12);
    expect(
      lastTwelve.filter((t) => t.hyperparameters['act'] === 'tanh').length,
    ).toBeGreaterThanOrEqual(8);
    expect(Math.min(...trials.map((t) => t.objective ?? Infinity))).toBeLessThan(0.3);
  }, 60_000);

  it('proposes a new in-range point given 100 past trials in 4 dimensions', () => {
    // Its speed is measured by bench/tuner, not asserted here (a shared machine is noisy).
    const trials = completedTrials(quadratic4, 100, 11);
    const [proposal] = suggestTrials({ spec: quadratic4.spec, trials, count: 1, seed: 3 });
    expect(proposal).toBeDefined();
    const seen = new Set(trials.map((t) => JSON.stringify(t.hyperparameters)));
    expect(seen.has(JSON.stringify(proposal?.hyperparameters))).toBe(false);
  }, 60_000);
});
