import { describe, expect, it } from 'vitest';
import { ashaDecision, ashaRungs, type AshaOptions } from './asha-stopping.js';
import { createRng } from './prng.js';
import type { IntermediateValue } from './trial.js';

const curve = (...values: number[]): IntermediateValue[] =>
  values.map((value, i) => ({ step: i + 1, value }));

const ETA3: AshaOptions = { minSteps: 1, reductionFactor: 3, maxSteps: 9 };

describe('ashaRungs', () => {
  it('puts rungs at minSteps·η^k below maxSteps', () => {
    expect(ashaRungs(ETA3, 100)).toEqual([1, 3]);
    expect(ashaRungs({ minSteps: 2, reductionFactor: 2 }, 20)).toEqual([2, 4, 8, 16]);
    expect(ashaRungs({ minSteps: 2, reductionFactor: 2 }, 1)).toEqual([]);
  });
});

describe('ashaDecision', () => {
  const others = [
    { intermediate: curve(0.5, 0.6, 0.7, 0.8) },
    { intermediate: curve(0.6, 0.7, 0.8, 0.9) },
  ];

  it('lets the first trial at a rung go on', () => {
    const decision = ashaDecision({
      goal: 'MAXIMIZE',
      options: ETA3,
      trial: { intermediate: curve(0.1) },
      others: [],
    });
    expect(decision).toMatchObject({ stop: false, rung: 1, compared: 1, kept: 1 });
  });

  it('stops a trial outside the top 1/η at the rung it just reached (MAXIMIZE)', () => {
    const decision = ashaDecision({
      goal: 'MAXIMIZE',
      options: ETA3,
      trial: { intermediate: curve(0.55) },
      others,
    });
    expect(decision).toMatchObject({ stop: true, rung: 1, compared: 3, kept: 1 });
    expect(decision.reason).toBe(
      '0.55 at rung 1 is outside the best 1 of 3 trials there (cutoff 0.6)',
    );
    const best = ashaDecision({
      goal: 'MAXIMIZE',
      options: ETA3,
      trial: { intermediate: curve(0.65) },
      others,
    });
    expect(best.stop).toBe(false);
  });

  it('respects MINIMIZE', () => {
    const decision = ashaDecision({
      goal: 'MINIMIZE',
      options: ETA3,
      trial: { intermediate: curve(0.45) },
      others,
    });
    expect(decision).toMatchObject({ stop: false, rung: 1 });
    const worst = ashaDecision({
      goal: 'MINIMIZE',
      options: ETA3,
      trial: { intermediate: curve(0.55) },
      others,
    });
    expect(worst.stop).toBe(true);
  });

  it('judges a trial only when it reaches a rung, never between rungs', () => {
    const between = ashaDecision({
      goal: 'MAXIMIZE',
      options: ETA3,
      trial: { intermediate: curve(0.9, 0.1) },
      others,
    });
    expect(between).toMatchObject({ stop: false });
    expect(between.reason).toBe('step 2 reaches no new rung');
    const atRung3 = ashaDecision({
      goal: 'MAXIMIZE',
      options: ETA3,
      trial: { intermediate: curve(0.9, 0.1, 0.1) },
      others,
    });
    expect(atRung3).toMatchObject({ stop: true, rung: 3, compared: 3 });
  });

  it('judges every rung a gap in the reports skipped, and none at or past maxSteps', () => {
    const skipped = ashaDecision({
      goal: 'MAXIMIZE',
      options: ETA3,
      trial: { intermediate: [{ step: 4, value: 0.1 }] },
      others,
    });
    expect(skipped).toMatchObject({ stop: true, rung: 1 });
    const atMax = ashaDecision({
      goal: 'MAXIMIZE',
      options: ETA3,
      trial: { intermediate: [...curve(0.9, 0.9, 0.9), { step: 9, value: 0 }] },
      others: [{ intermediate: [{ step: 9, value: 1 }] }],
    });
    expect(atMax.stop).toBe(false);
  });
});

/** A learning curve: accuracy rising from 0.1 towards `final` at rate 1/tau, with noise. */
interface SyntheticTrial {
  readonly final: number;
  readonly values: readonly number[];
}

const syntheticTrials = (seed: number, count: number, epochs: number): SyntheticTrial[] => {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const final = 0.5 + 0.45 * rng.next();
    const tau = 1 + 2 * rng.next();
    const values = Array.from(
      { length: epochs },
      (_, t) => final - (final - 0.1) * Math.exp(-(t + 1) / tau) + 0.005 * rng.normal(),
    );
    return { final, values };
  });
};

/**
 * Runs `trials` on `workers` slots in lock step (one epoch per tick each), a
 * free slot taking the next trial; after each epoch ASHA judges the trial
 * against every trial's values so far. Returns the epochs trained and the
 * trials that ran to the end.
 */
const simulate = (
  trials: readonly SyntheticTrial[],
  epochs: number,
  workers: number,
  options: AshaOptions | undefined,
): { epochs: number; finished: number[] } => {
  const series: IntermediateValue[][] = trials.map(() => []);
  const running: number[] = [];
  const finished: number[] = [];
  let next = 0;
  let trained = 0;
  while (next < trials.length || running.length > 0) {
    while (running.length < workers && next < trials.length) running.push((next += 1) - 1);
    for (const id of [...running]) {
      const own = series[id] as IntermediateValue[];
      own.push({
        step: own.length + 1,
        value: (trials[id] as SyntheticTrial).values[own.length] as number,
      });
      trained += 1;
      const stop =
        options !== undefined &&
        ashaDecision({
          goal: 'MAXIMIZE',
          options,
          trial: { intermediate: own },
          others: series.filter((_, i) => i !== id).map((intermediate) => ({ intermediate })),
        }).stop;
      if (stop || own.length === epochs) {
        running.splice(running.indexOf(id), 1);
        if (!stop) finished.push(id);
      }
    }
  }
  return { epochs: trained, finished };
};

describe('ASHA on synthetic learning curves (seeded simulation)', () => {
  it('trains at most half the epochs and keeps the best final accuracy within 0.01 on 9 of 10 seeds', () => {
    const epochs = 27;
    const options = { minSteps: 3, reductionFactor: 3, maxSteps: epochs };
    const lastValue = (trials: readonly SyntheticTrial[], id: number): number =>
      (trials[id] as SyntheticTrial).values[epochs - 1] as number;
    let kept = 0;
    for (let seed = 1; seed <= 10; seed += 1) {
      const trials = syntheticTrials(seed, 27, epochs);
      const full = simulate(trials, epochs, 4, undefined);
      const asha = simulate(trials, epochs, 4, options);
      expect(full.epochs).toBe(27 * 27);
      expect(asha.epochs).toBeLessThanOrEqual(full.epochs / 2);
      const bestFull = Math.max(...full.finished.map((id) => lastValue(trials, id)));
      const bestAsha = Math.max(...asha.finished.map((id) => lastValue(trials, id)));
      if (bestAsha >= bestFull - 0.01) kept += 1;
    }
    expect(kept).toBeGreaterThanOrEqual(9);
  });
});
