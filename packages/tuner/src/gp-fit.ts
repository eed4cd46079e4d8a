import { createGaussianProcess } from './gaussian-process.js';
import type { GaussianProcess, GpHyperparameters } from './gaussian-process.js';
import { minimizeLbfgs } from './lbfgs.js';
import { createLogLikelihood } from './marginal-likelihood.js';
import type { Rng } from './prng.js';

/**
 * Fit a GP's hyperparameters to standardised outputs by maximising the log
 * marginal likelihood plus weak log priors (a MAP estimate), with L-BFGS from a
 * default start and `restarts` random starts, keeping the best.
 *
 * The priors keep small-sample fits sane, where the bare likelihood often runs
 * a length scale to 0 or ∞: ℓ ~ Gamma(3, 6) on inputs in [0, 1] (as BoTorch's
 * long-standing default), ln σ_f² ~ N(0, 1.5²) around the standardised
 * variance, ln σ_n² ~ N(ln 10⁻³, 3²). Each log hyperparameter is also kept in a
 * box by a smooth logistic map, so the optimiser itself is unconstrained.
 */

export interface GpFitOptions {
  /** Random restarts besides the default start. @defaultValue 2 */
  readonly restarts?: number;
  /** L-BFGS iterations per start. @defaultValue 60 */
  readonly maxIterations?: number;
}

const LENGTH_BOUNDS: readonly [number, number] = [Math.log(0.01), Math.log(30)];
const SIGNAL_BOUNDS: readonly [number, number] = [Math.log(0.05), Math.log(20)];
const NOISE_BOUNDS: readonly [number, number] = [Math.log(1e-6), Math.log(1.5)];

const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

/** The log prior density of θ and its gradient (Jacobian of the log map included). */
const logPrior = (theta: Float64Array, features: number, gradient: Float64Array): number => {
  let value = 0;
  for (let d = 0; d < features; d += 1) {
    const t = theta[d] as number;
    value += 3 * t - 6 * Math.exp(t);
    gradient[d] = 3 - 6 * Math.exp(t);
  }
  const s = theta[features] as number;
  value += -(s * s) / (2 * 1.5 * 1.5);
  gradient[features] = -s / (1.5 * 1.5);
  const noiseCentre = Math.log(1e-3);
  const e = (theta[features + 1] as number) - noiseCentre;
  value += -(e * e) / (2 * 9);
  gradient[features + 1] = -e / 9;
  return value;
};

/** Fit and condition a GP; undefined only if no hyperparameters give a factorable K. */
export const fitGaussianProcess = (
  inputs: readonly Float64Array[],
  outputs: readonly number[],
  rng: Rng,
  options: GpFitOptions = {},
): GaussianProcess | undefined => {
  const features = inputs[0]?.length ?? 0;
  const bounds = [
    ...Array.from({ length: features }, () => LENGTH_BOUNDS),
    SIGNAL_BOUNDS,
    NOISE_BOUNDS,
  ];
  const likelihood = createLogLikelihood(inputs, outputs);
  const toTheta = (z: Float64Array): Float64Array =>
    z.map((v, i) => {
      const [lo, hi] = bounds[i] as readonly [number, number];
      return lo + (hi - lo) * logistic(v);
    });
  const toZ = (theta: readonly number[]): Float64Array =>
    Float64Array.from(theta, (t, i) => {
      const [lo, hi] = bounds[i] as readonly [number, number];
      const p = Math.min(1 - 1e-9, Math.max(1e-9, (t - lo) / (hi - lo)));
      return Math.log(p / (1 - p));
    });
  // Minimise the negative log posterior over z.
  const objective = (z: Float64Array): { value: number; gradient: Float64Array } => {
    const theta = toTheta(z);
    const { value, gradient } = likelihood(theta);
    const priorGradient = new Float64Array(theta.length);
    const total = value + logPrior(theta, features, priorGradient);
    const out = new Float64Array(theta.length);
    for (let i = 0; i < theta.length; i += 1) {
      const [lo, hi] = bounds[i] as readonly [number, number];
      const p = logistic(z[i] as number);
      out[i] = -((gradient[i] as number) + (priorGradient[i] as number)) * (hi - lo) * p * (1 - p);
    }
    return { value: Number.isFinite(total) ? -total : Infinity, gradient: out };
  };
  const starts: number[][] = [
    [...Array.from({ length: features }, () => Math.log(0.3)), 0, Math.log(1e-3)],
  ];
  for (let r = 0; r < (options.restarts ?? 2); r += 1) {
    const uniform = (lo: number, hi: number): number => lo + (hi - lo) * rng.next();
    starts.push([
      ...Array.from({ length: features }, () => uniform(Math.log(0.05), Math.log(2))),
      uniform(Math.log(0.3), Math.log(3)),
      uniform(Math.log(1e-5), Math.log(0.1)),
    ]);
  }
  let best: { x: Float64Array; value: number } | undefined;
  for (const start of starts) {
    const result = minimizeLbfgs(objective, toZ(start), {
      maxIterations: options.maxIterations ?? 60,
      gradientTolerance: 1e-4,
      valueTolerance: 1e-7,
    });
    if (Number.isFinite(result.value) && (best === undefined || result.value < best.value)) {
      best = result;
    }
  }
  if (best === undefined) return undefined;
  const theta = toTheta(best.x);
  const hyper: GpHyperparameters = {
    lengthScales: Array.from(theta.subarray(0, features), Math.exp),
    signalVariance: Math.exp(theta[features] as number),
    noiseVariance: Math.exp(theta[features + 1] as number),
  };
  return createGaussianProcess(inputs, outputs, hyper);
};
