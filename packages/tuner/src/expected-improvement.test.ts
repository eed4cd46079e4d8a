import { describe, expect, it } from 'vitest';
import { logExpectedImprovement, logH, normalCdf } from './expected-improvement.js';
import { standardize, warpOutputs } from './output-warping.js';

// Reference values computed with mpmath at 50 digits.
describe('normal CDF and log h', () => {
  it.each([
    [-1, 0.15865525393145705],
    [1.96, 0.9750021048517795],
    [-5, 2.866515718791939e-7],
    [-10, 7.619853024160525e-24],
    [0, 0.5],
  ])('Φ(%f) = %f to 1e-7 relative', (z, expected) => {
    expect(Math.abs(normalCdf(z) / expected - 1)).toBeLessThan(2e-7);
  });

  it.each([
    [2, 0.6973835457882284],
    [0, -0.9189385332046728],
    [-1, -2.4851210257126413],
    [-5, -16.74430116266099],
    [-10, -55.55312203612235],
    [-30, -457.724653760598],
    [-40, -808.29856835662],
    [-100, -5010.12957880025],
  ])('ln h(%f) = %f, finite where EI itself underflows', (z, expected) => {
    expect(logH(z)).toBeCloseTo(expected, z >= -3 ? 6 : 9);
  });

  it('is increasing in z across the switch between formulas', () => {
    let previous = -Infinity;
    for (let z = -60; z <= 5; z += 0.25) {
      const value = logH(z);
      expect(value).toBeGreaterThan(previous);
      previous = value;
    }
  });
});

describe('logExpectedImprovement', () => {
  it('equals ln of the closed form σ·h((μ − best)/σ)', () => {
    const mean = 0.3;
    const variance = 0.04;
    const best = 0.5;
    const z = (mean - best) / 0.2;
    const phi = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    const expected = 0.2 * (phi + z * normalCdf(z));
    expect(Math.exp(logExpectedImprovement(mean, variance, best))).toBeCloseTo(expected, 10);
  });

  it('handles a certain posterior: the plain improvement, or −∞', () => {
    expect(logExpectedImprovement(2, 0, 1)).toBe(0);
    expect(logExpectedImprovement(1, 0, 2)).toBe(-Infinity);
  });
});

describe('warpOutputs', () => {
  it('keeps the order, standardises, and spreads the good end of a skewed sample', () => {
    // Branin-like: most values near the optimum, a few disasters (negated for maximisation).
    const values = [-0.5, -1.2, -2, -3.1, -5, -8, -12, -20, -60, -150, -300];
    const warped = warpOutputs(values);
    const order = (v: readonly number[]): number[] =>
      v.map((_, i) => i).sort((a, b) => (v[a] ?? 0) - (v[b] ?? 0));
    expect(order(warped)).toEqual(order(values));
    const mean = warped.reduce((s, v) => s + v, 0) / warped.length;
    const variance = warped.reduce((s, v) => s + (v - mean) ** 2, 0) / warped.length;
    expect(mean).toBeCloseTo(0, 12);
    expect(variance).toBeCloseTo(1, 12);
    // The good end is resolved more finely and the disaster pulls less.
    const plain = standardize(values);
    const spread = (v: number[]): number => (v[0] ?? 0) - (v[4] ?? 0);
    expect(spread(warped)).toBeGreaterThan(1.8 * spread(plain));
    expect(Math.abs(warped[10] ?? 0)).toBeLessThan(Math.abs(plain[10] ?? 0) - 0.3);
  });

  it('maps constant values to zeros', () => {
    expect(warpOutputs([3, 3, 3])).toEqual([0, 0, 0]);
  });
});
