import { describe, expect, it } from 'vitest';
import { factorize } from './cholesky.js';
import { covarianceRows, createGaussianProcess } from './gaussian-process.js';
import { fitGaussianProcess } from './gp-fit.js';
import { minimizeLbfgs } from './lbfgs.js';
import { createLogLikelihood } from './marginal-likelihood.js';
import { matern52 } from './matern.js';
import { createRng } from './prng.js';

const grid1d = (n: number): Float64Array[] =>
  Array.from({ length: n }, (_, i) => Float64Array.of((i + 0.5) / n));

describe('Matérn 5/2 and the Cholesky factor', () => {
  it('has the closed form (1 + √5 r + 5r²/3) e^{−√5 r}', () => {
    expect(matern52(0)).toBe(1);
    expect(matern52(1)).toBeCloseTo((1 + Math.sqrt(5) + 5 / 3) * Math.exp(-Math.sqrt(5)), 15);
  });

  it('inverts K and gives ln det K', () => {
    const rows = covarianceRows(grid1d(12), {
      lengthScales: [0.3],
      signalVariance: 2,
      noiseVariance: 1e-3,
    });
    const chol = factorize(rows);
    expect(chol?.jitter).toBe(0);
    const inverse = chol?.inverse() ?? [];
    for (let i = 0; i < 12; i += 1) {
      for (let j = 0; j < 12; j += 1) {
        let sum = 0;
        for (let k = 0; k < 12; k += 1) sum += (rows[i]?.[k] ?? 0) * (inverse[k]?.[j] ?? 0);
        expect(sum).toBeCloseTo(i === j ? 1 : 0, 8);
      }
    }
    // det of a 2×2 [[a, b], [b, a]] is a² − b².
    const two = factorize([Float64Array.of(2, 1), Float64Array.of(1, 2)]);
    expect(two?.logDeterminant).toBeCloseTo(Math.log(3), 14);
    const x = two?.solve(Float64Array.of(3, 3));
    expect(x?.[0]).toBeCloseTo(1, 14);
    expect(x?.[1]).toBeCloseTo(1, 14);
  });

  it('adds jitter to a singular matrix instead of failing', () => {
    const ones = [Float64Array.of(1, 1), Float64Array.of(1, 1)];
    const chol = factorize(ones);
    expect(chol?.jitter).toBeGreaterThan(0);
    expect(chol?.jitter).toBeLessThanOrEqual(1e-4);
  });
});

describe('GP posterior', () => {
  it('interpolates its training points when the noise is small, and reverts to the prior far away', () => {
    const inputs = grid1d(8);
    const outputs = inputs.map((x) => Math.sin(6 * (x[0] ?? 0)));
    const gp = createGaussianProcess(inputs, outputs, {
      lengthScales: [0.2],
      signalVariance: 1,
      noiseVariance: 1e-8,
    });
    inputs.forEach((x, i) => {
      const p = gp?.predict(x);
      expect(p?.mean).toBeCloseTo(outputs[i] ?? NaN, 5);
      expect(p?.variance).toBeLessThan(1e-6);
    });
    const far = gp?.predict(Float64Array.of(20));
    expect(far?.mean).toBeCloseTo(0, 10);
    expect(far?.variance).toBeCloseTo(1, 10);
  });

  it('conditions on extra points without refitting', () => {
    const inputs = grid1d(4);
    const gp = createGaussianProcess(inputs, [0, 1, 0, 1], {
      lengthScales: [0.3],
      signalVariance: 1,
      noiseVariance: 1e-6,
    });
    const more = gp?.condition([Float64Array.of(0.9)], [2]);
    expect(more?.predict(Float64Array.of(0.9)).mean).toBeCloseTo(2, 3);
    expect(more?.inputs).toHaveLength(5);
  });
});

describe('marginal likelihood', () => {
  it('has the analytic gradient (checked by central differences)', () => {
    const rng = createRng(3);
    const inputs = Array.from({ length: 15 }, () => Float64Array.of(rng.next(), rng.next()));
    const outputs = inputs.map((x) => Math.sin(4 * (x[0] ?? 0)) + (x[1] ?? 0) ** 2);
    const likelihood = createLogLikelihood(inputs, outputs);
    const theta = Float64Array.of(Math.log(0.4), Math.log(0.7), 0.2, Math.log(1e-2));
    const { gradient } = likelihood(theta);
    for (let i = 0; i < theta.length; i += 1) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[i] = (up[i] ?? 0) + 1e-5;
      down[i] = (down[i] ?? 0) - 1e-5;
      const numeric = (likelihood(up).value - likelihood(down).value) / 2e-5;
      expect(gradient[i]).toBeCloseTo(numeric, 5);
    }
  });

  it.each([
    [0.1, 0.07, 0.14],
    [0.5, 0.3, 0.8],
  ])('recovers a length scale of %f from a GP sample (fitted within [%f, %f])', (truth, lo, hi) => {
    const inputs = grid1d(40);
    const chol = factorize(
      covarianceRows(inputs, { lengthScales: [truth], signalVariance: 1, noiseVariance: 1e-4 }),
    );
    // A draw f = L z with K = L Lᵀ; only L⁻¹ is kept, and L z = K (L⁻ᵀ z).
    const rng = createRng(11);
    const z = Float64Array.from({ length: 40 }, () => rng.normal());
    const lInverse = chol?.lowerInverse ?? [];
    const rows = covarianceRows(inputs, {
      lengthScales: [truth],
      signalVariance: 1,
      noiseVariance: 1e-4,
    });
    const w = new Float64Array(40); // w = L⁻ᵀ z
    for (let k = 0; k < 40; k += 1)
      for (let i = 0; i <= k; i += 1) w[i] = (w[i] ?? 0) + (lInverse[k]?.[i] ?? 0) * (z[k] ?? 0);
    const sample = rows.map((row) => row.reduce((s, v, j) => s + v * (w[j] ?? 0), 0));
    const mean = sample.reduce((s, v) => s + v, 0) / 40;
    const sd = Math.sqrt(sample.reduce((s, v) => s + (v - mean) ** 2, 0) / 40);
    const gp = fitGaussianProcess(
      inputs,
      sample.map((v) => (v - mean) / sd),
      createRng(1),
    );
    const fitted = gp?.hyperparameters.lengthScales[0] ?? NaN;
    expect(fitted).toBeGreaterThan(lo);
    expect(fitted).toBeLessThan(hi);
    expect(gp?.hyperparameters.noiseVariance).toBeLessThan(0.05);
  });
});

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = minimizeLbfgs(
      (x) => {
        const [a = 0, b = 0] = x;
        return {
          value: (1 - a) ** 2 + 100 * (b - a * a) ** 2,
          gradient: Float64Array.of(-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)),
        };
      },
      Float64Array.of(-1.2, 1),
      { maxIterations: 200, gradientTolerance: 1e-8, valueTolerance: 0 },
    );
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
    expect(result.evaluations).toBeLessThan(300);
  });
});
