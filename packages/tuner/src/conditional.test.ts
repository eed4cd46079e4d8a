import { describe, expect, it } from 'vitest';
import { isStratusError } from '@stratus/spec';
import type { HyperparameterSpec, ParameterSpec } from '@stratus/spec';
import { compileSearchSpace } from './search-space.js';
import { suggestTrials } from './suggest.js';
import type { TrialRecord } from './trial.js';

/** A tree over every parent type, nested three deep, with `lr` of the given kind under branch b. */
const treeSpec = (lr: ParameterSpec): HyperparameterSpec => ({
  goal: 'MAXIMIZE',
  params: [
    {
      parameterName: 'branch',
      type: 'CATEGORICAL',
      categoricalValues: ['a', 'b', 'c'],
      conditionalParameterSpecs: [
        {
          parentCategoricalValues: { values: ['a'] },
          parameterSpec: {
            parameterName: 'layers',
            type: 'INTEGER',
            minValue: 1,
            maxValue: 4,
            conditionalParameterSpecs: [
              {
                parentIntValues: { values: [3, 4] },
                parameterSpec: {
                  parameterName: 'width',
                  type: 'DISCRETE',
                  discreteValues: [16, 32, 64],
                },
              },
            ],
          },
        },
        { parentCategoricalValues: { values: ['b'] }, parameterSpec: lr },
        {
          parentCategoricalValues: { values: ['b', 'c'] },
          parameterSpec: {
            parameterName: 'momentum',
            type: 'DISCRETE',
            discreteValues: [0, 0.5, 0.9],
            conditionalParameterSpecs: [
              {
                parentDiscreteValues: { values: [0.9] },
                parameterSpec: {
                  parameterName: 'nesterov',
                  type: 'CATEGORICAL',
                  categoricalValues: ['yes', 'no'],
                },
              },
            ],
          },
        },
      ],
    },
    { parameterName: 'batch', type: 'DISCRETE', discreteValues: [32, 64] },
  ],
});

const continuous = treeSpec({
  parameterName: 'lr',
  type: 'DOUBLE',
  minValue: 0.0001,
  maxValue: 0.1,
  scaleType: 'UNIT_LOG_SCALE',
});
const finite = treeSpec({
  parameterName: 'lr',
  type: 'DISCRETE',
  discreteValues: [0.001, 0.01, 0.1],
});

/**
 * The names a point must hold, read from the spec itself (not the tuner's
 * compiled space): the top-level params and every child whose parent is
 * present with one of the branch's values.
 */
const expectedNames = (
  params: readonly ParameterSpec[],
  values: Readonly<Record<string, string>>,
): string[] =>
  params.flatMap((param) => {
    const value = values[param.parameterName];
    const children = (param.conditionalParameterSpecs ?? []).filter((branch) => {
      const listed: readonly (number | string)[] =
        branch.parentCategoricalValues?.values ??
        branch.parentDiscreteValues?.values ??
        branch.parentIntValues?.values ??
        [];
      return value !== undefined && listed.some((v) => String(v) === value);
    });
    return [
      param.parameterName,
      ...expectedNames(
        children.map((b) => b.parameterSpec),
        values,
      ),
    ];
  });

/** Checks one suggestion; returns its key so callers can count distinct points. */
const check = (
  spec: HyperparameterSpec,
  hyperparameters: Readonly<Record<string, string>>,
): string => {
  const names = Object.keys(hyperparameters).sort();
  expect(names).toEqual(expectedNames(spec.params, hyperparameters).sort());
  return JSON.stringify(Object.entries(hyperparameters).sort());
};

/** A made-up objective that depends on the branch and its children. */
const objective = (v: Readonly<Record<string, number | string>>): number => {
  if (v['branch'] === 'a') return Number(v['layers']) + Number(v['width'] ?? 0) / 64;
  if (v['branch'] === 'b')
    return 3 - Math.abs(Math.log10(Number(v['lr'])) + 2) + Number(v['momentum']);
  return Number(v['momentum']) + (v['nesterov'] === 'yes' ? 1 : 0);
};

describe('conditional parameters', () => {
  it('never emits an inactive parameter and always emits every active one: 10,000 suggestions', () => {
    let checked = 0;
    // Random search: one long quasi-random sequence over the tree with a continuous child.
    const random = suggestTrials({
      spec: { ...continuous, algorithm: 'RANDOM_SEARCH' },
      trials: [],
      count: 9_500,
      seed: 'conditional-random',
    });
    expect(random).toHaveLength(9_500);
    const branches = new Set<string>();
    for (const s of random) {
      check(continuous, s.hyperparameters);
      branches.add(`${s.hyperparameters['branch']}/${s.hyperparameters['nesterov'] ?? '-'}`);
      checked += 1;
    }
    expect([...branches].sort()).toEqual(['a/-', 'b/-', 'b/no', 'b/yes', 'c/-', 'c/no', 'c/yes']);

    // Grid search: exactly the reachable points, each once, then nothing.
    const grid = suggestTrials({
      spec: { ...finite, algorithm: 'GRID_SEARCH' },
      trials: [],
      count: 1_000,
      seed: 1,
    });
    // branch a: layers 1, 2 alone + layers 3, 4 × 3 widths = 8; b: 3 lr × (0, 0.5, 0.9 × 2) = 12; c: 4; × 2 batches.
    expect(compileSearchSpace(finite).size).toBe(48);
    expect(new Set(grid.map((s) => check(finite, s.hyperparameters))).size).toBe(48);
    expect(grid).toHaveLength(48);
    checked += grid.length;

    // Random search on the finite tree exhausts exactly the same 48 points.
    const exhausted = suggestTrials({
      spec: { ...finite, algorithm: 'RANDOM_SEARCH' },
      trials: [],
      count: 60,
      seed: 2,
    });
    expect(new Set(exhausted.map((s) => check(finite, s.hyperparameters))).size).toBe(48);
    checked += exhausted.length;

    // Bayesian optimisation: studies of 40 trials with observations, in batches of 4
    // (pending trials enter as liars), until the total passes 10,000.
    const bayesian = { acquisition: { candidates: 256, refine: 2 } };
    for (let study = 0; checked < 10_000; study += 1) {
      const trials: TrialRecord[] = [];
      while (trials.length < 40) {
        const batch = suggestTrials({ spec: continuous, trials, count: 4, seed: study, bayesian });
        expect(batch).toHaveLength(4);
        for (const s of batch) {
          check(continuous, s.hyperparameters);
          trials.push({
            trialId: String(trials.length + 1),
            hyperparameters: s.hyperparameters,
            state: trials.length % 7 === 6 ? 'RUNNING' : 'SUCCEEDED',
            objective: objective(s.values),
          });
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10_000);
  });

  it('numbers grid points in value order, a value with children taking one per child point', () => {
    const space = compileSearchSpace({
      params: [
        {
          parameterName: 'n',
          type: 'INTEGER',
          minValue: 1,
          maxValue: 5,
          conditionalParameterSpecs: [
            {
              parentIntValues: { values: [2, 4] },
              parameterSpec: { parameterName: 'm', type: 'DISCRETE', discreteValues: [10, 20] },
            },
          ],
        },
      ],
    });
    expect(space.size).toBe(7);
    expect(Array.from({ length: 7 }, (_, i) => space.pointAt(i))).toEqual([
      { n: 1 },
      { n: 2, m: 10 },
      { n: 2, m: 20 },
      { n: 3 },
      { n: 4, m: 10 },
      { n: 4, m: 20 },
      { n: 5 },
    ]);
  });

  it('gives inactive parameters constant GP features and reads back only active values', () => {
    const space = compileSearchSpace(continuous);
    const a = space.encode({ branch: 'a', layers: 1, batch: 32 });
    const b = space.encode({ branch: 'a', layers: 2, batch: 32 });
    // branch one-hot (3), layers, width, lr, momentum, nesterov one-hot (2), batch.
    expect(space.featureCount).toBe(10);
    expect([a[4], a[5], a[6], a[7], a[8], a[9]]).toEqual([0.5, 0.5, 0.5, 0, 0, 0]);
    expect(b[3]).not.toBe(a[3]);
    const [s] = suggestTrials({
      spec: continuous,
      trials: [
        // Stored by an older run with an inactive value: it is dropped, not an error.
        {
          trialId: '1',
          state: 'SUCCEEDED',
          objective: 1,
          hyperparameters: { branch: 'c', momentum: '0', lr: '0.01', batch: '32' },
        },
      ],
      count: 1,
      seed: 3,
    });
    expect(s).toBeDefined();
  });

  it('requires an active parameter in a stored trial, naming it', () => {
    try {
      suggestTrials({
        spec: continuous,
        trials: [
          {
            trialId: '7',
            state: 'SUCCEEDED',
            objective: 1,
            hyperparameters: { branch: 'b', momentum: '0.9', batch: '32' },
          },
        ],
        count: 1,
        seed: 1,
      });
      expect.unreachable();
    } catch (error) {
      expect(isStratusError(error) && error.message).toMatch(/hyperparameter lr: trial 7: missing/);
    }
  });

  it('rejects a branch value the parent cannot take, naming the field', () => {
    const bad = treeSpec({ parameterName: 'lr', type: 'DOUBLE', minValue: 0.1, maxValue: 1 });
    const branch = bad.params[0]?.conditionalParameterSpecs?.[1];
    if (branch !== undefined) branch.parentCategoricalValues = { values: ['d'] };
    try {
      compileSearchSpace(bad);
      expect.unreachable();
    } catch (error) {
      expect(isStratusError(error) && error.message).toMatch(
        /params\[0\]\.conditionalParameterSpecs\[1\]\.parentCategoricalValues\.values\[0\]/,
      );
    }
  });
});
