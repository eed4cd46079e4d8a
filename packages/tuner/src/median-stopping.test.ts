import { describe, expect, it } from 'vitest';
import { isStratusError } from '@stratus/spec';
import { shouldStopTrial } from './median-stopping.js';
import type { IntermediateValue } from './trial.js';

const curve = (...values: number[]): IntermediateValue[] =>
  values.map((value, i) => ({ step: i + 1, value }));

// Accuracy curves of three finished trials. Running averages at step 3: 0.6, 0.7, 0.5.
const completed = [
  { intermediate: curve(0.5, 0.6, 0.7, 0.8) },
  { intermediate: curve(0.6, 0.7, 0.8, 0.9) },
  { intermediate: curve(0.4, 0.5, 0.6, 0.7) },
];

describe('shouldStopTrial (median stopping rule)', () => {
  it('never stops while fewer completed trials than required have reported', () => {
    const decision = shouldStopTrial({
      spec: { goal: 'MAXIMIZE' },
      trial: { intermediate: curve(0.01, 0.01, 0.01) },
      completedTrials: completed.slice(0, 2),
    });
    expect(decision).toMatchObject({ stop: false, compared: 2 });
    expect(decision.reason).toBe('2 of 3 completed trials reported by step 3');
  });

  it('stops a trial whose best value is below the median running average (MAXIMIZE)', () => {
    const decision = shouldStopTrial({
      spec: { goal: 'MAXIMIZE' },
      trial: { intermediate: curve(0.2, 0.3, 0.25) },
      completedTrials: completed,
    });
    expect(decision).toMatchObject({ stop: true, step: 3, best: 0.3, compared: 3 });
    expect(decision.median).toBeCloseTo(0.6, 12);
  });

  it('lets a good curve run, and compares on its best value, not its last', () => {
    const good = shouldStopTrial({
      spec: { goal: 'MAXIMIZE' },
      trial: { intermediate: curve(0.55, 0.7, 0.65) },
      completedTrials: completed,
    });
    expect(good).toMatchObject({ stop: false, best: 0.7 });
  });

  it('reads the goal: for MINIMIZE, a loss above the median is stopped and one below is not', () => {
    const losses = completed.map((c) => ({
      intermediate: c.intermediate.map((p) => ({ ...p, value: 1 - p.value })),
    }));
    const input = { spec: { goal: 'MINIMIZE' as const }, completedTrials: losses };
    expect(shouldStopTrial({ ...input, trial: { intermediate: curve(0.9, 0.8, 0.7) } }).stop).toBe(
      true,
    );
    expect(shouldStopTrial({ ...input, trial: { intermediate: curve(0.5, 0.35, 0.3) } }).stop).toBe(
      false,
    );
    // The same numbers read as accuracies would be judged the other way round.
    expect(
      shouldStopTrial({
        spec: { goal: 'MAXIMIZE' },
        completedTrials: losses,
        trial: { intermediate: curve(0.9, 0.8, 0.7) },
      }).stop,
    ).toBe(false);
  });

  it('waits for the minimum step and number of reports', () => {
    const bad = { intermediate: curve(0.1, 0.1, 0.1) };
    const base = { spec: { goal: 'MAXIMIZE' as const }, completedTrials: completed, trial: bad };
    expect(shouldStopTrial({ ...base, options: { minStep: 4 } })).toMatchObject({
      stop: false,
      reason: 'step 3 is before 4',
    });
    expect(shouldStopTrial({ ...base, options: { minReports: 4 } })).toMatchObject({
      stop: false,
      reason: '3 of 4 reports needed',
    });
    expect(shouldStopTrial({ ...base, trial: { intermediate: curve(0.1) } }).stop).toBe(false);
    expect(shouldStopTrial({ ...base, options: { minCompletedTrials: 4 } }).stop).toBe(false);
    expect(shouldStopTrial(base).stop).toBe(true);
  });

  it('averages a completed trial over the steps it reported up to s, and skips ones with none', () => {
    const decision = shouldStopTrial({
      spec: { goal: 'MAXIMIZE' },
      trial: {
        intermediate: [
          { step: 10, value: 0.62 },
          { step: 20, value: 0.64 },
        ],
      },
      completedTrials: [
        {
          intermediate: [
            { step: 5, value: 0.6 },
            { step: 15, value: 0.8 },
            { step: 40, value: 0.99 },
          ],
        },
        { intermediate: [{ step: 10, value: 0.5 }] },
        { intermediate: [{ step: 20, value: 0.7 }] },
        { intermediate: [{ step: 30, value: 0.9 }] },
        {},
      ],
    });
    // Running averages at step 20: 0.7, 0.5, 0.7 → median 0.7; best 0.64 < 0.7.
    expect(decision).toMatchObject({ stop: true, compared: 3, median: 0.7, best: 0.64 });
  });

  it('refuses to guess a missing goal', () => {
    let caught: unknown;
    try {
      shouldStopTrial({
        spec: {},
        trial: { intermediate: curve(1, 2) },
        completedTrials: completed,
      });
    } catch (error) {
      caught = error;
    }
    expect(isStratusError(caught) && caught.reason).toBe('INVALID_HYPERPARAMETER_SPEC');
    expect((caught as Error).message).toBe(
      'Invalid hyperparameter spec: goal: must be MAXIMIZE or MINIMIZE to compare trials, got nothing',
    );
  });
});
