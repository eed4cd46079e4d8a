import { factorize } from './cholesky.js';
import type { CholeskyFactor } from './cholesky.js';
import { matern52, scaledDistance2 } from './matern.js';

/** Kernel and noise hyperparameters of a GP (in the units of its inputs and outputs). */
export interface GpHyperparameters {
  readonly lengthScales: readonly number[];
  readonly signalVariance: number;
  readonly noiseVariance: number;
}

/** Posterior of the latent function at one input. */
export interface Posterior {
  readonly mean: number;
  /** Variance of the latent function (observation noise excluded). */
  readonly variance: number;
}

/** A zero-mean GP regression model conditioned on data. */
export interface GaussianProcess {
  readonly hyperparameters: GpHyperparameters;
  readonly inputs: readonly Float64Array[];
  readonly outputs: readonly number[];
  predict(x: Float64Array): Posterior;
  /** The same kernel conditioned on more data (for constant-liar batches); undefined if it will not factor. */
  condition(
    inputs: readonly Float64Array[],
    outputs: readonly number[],
  ): GaussianProcess | undefined;
}

/** Covariance rows K + σ_n² I of the inputs. */
export const covarianceRows = (
  inputs: readonly Float64Array[],
  hyper: GpHyperparameters,
): Float64Array[] => {
  const n = inputs.length;
  const inverse = Float64Array.from(hyper.lengthScales, (l) => 1 / (l * l));
  const rows = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i += 1) {
    const ri = rows[i] as Float64Array;
    ri[i] = hyper.signalVariance + hyper.noiseVariance;
    for (let j = 0; j < i; j += 1) {
      const k =
        hyper.signalVariance *
        matern52(scaledDistance2(inputs[i] as Float64Array, inputs[j] as Float64Array, inverse));
      ri[j] = k;
      (rows[j] as Float64Array)[i] = k;
    }
  }
  return rows;
};

const fromFactor = (
  inputs: readonly Float64Array[],
  outputs: readonly number[],
  hyper: GpHyperparameters,
  chol: CholeskyFactor,
): GaussianProcess => {
  const n = inputs.length;
  const alpha = chol.solve(Float64Array.from(outputs));
  const inverse = Float64Array.from(hyper.lengthScales, (l) => 1 / (l * l));
  const cross = new Float64Array(n);
  const projected = new Float64Array(n);
  const predict = (x: Float64Array): Posterior => {
    let mean = 0;
    for (let i = 0; i < n; i += 1) {
      const k =
        hyper.signalVariance * matern52(scaledDistance2(x, inputs[i] as Float64Array, inverse));
      cross[i] = k;
      mean += k * (alpha[i] as number);
    }
    chol.forward(cross, projected);
    let explained = 0;
    for (let i = 0; i < n; i += 1) explained += (projected[i] as number) ** 2;
    // Rounding can make σ² − ‖L⁻¹k‖² slightly negative at a training input.
    const variance = Math.max(hyper.signalVariance - explained, 1e-12 * hyper.signalVariance);
    return { mean, variance };
  };
  const model: GaussianProcess = {
    hyperparameters: hyper,
    inputs,
    outputs,
    predict,
    condition: (more, moreOutputs) =>
      createGaussianProcess([...inputs, ...more], [...outputs, ...moreOutputs], hyper),
  };
  return model;
};

/** Condition a GP with fixed hyperparameters on data; undefined if K will not factor. */
export const createGaussianProcess = (
  inputs: readonly Float64Array[],
  outputs: readonly number[],
  hyper: GpHyperparameters,
): GaussianProcess | undefined => {
  const chol = factorize(covarianceRows(inputs, hyper));
  return chol === undefined ? undefined : fromFactor(inputs, outputs, hyper, chol);
};
