import { factorize } from './cholesky.js';
import { matern52, matern52Slope } from './matern.js';

/**
 * The GP's log marginal likelihood and its gradient with respect to
 * θ = (ln ℓ_1 … ln ℓ_F, ln σ_f², ln σ_n²), for fixed data:
 *   ln p(y | θ) = −½ yᵀK⁻¹y − ½ ln|K| − (n/2) ln 2π,
 *   ∂/∂θ_j = ½ tr((ααᵀ − K⁻¹) ∂K/∂θ_j),  α = K⁻¹y  (Rasmussen & Williams eq. 5.9).
 */
export type LogLikelihood = (theta: Float64Array) => { value: number; gradient: Float64Array };

/** Build the likelihood of data (X, y); the pairwise squared differences are computed once. */
export const createLogLikelihood = (
  inputs: readonly Float64Array[],
  outputs: readonly number[],
): LogLikelihood => {
  const n = inputs.length;
  const features = inputs[0]?.length ?? 0;
  const pairs = (n * (n - 1)) / 2;
  // differences[d][p] = (x_i,d − x_j,d)² for the p-th pair i > j.
  const differences = Array.from({ length: features }, () => new Float64Array(pairs));
  for (let i = 0, p = 0; i < n; i += 1) {
    for (let j = 0; j < i; j += 1, p += 1) {
      const a = inputs[i] as Float64Array;
      const b = inputs[j] as Float64Array;
      for (let d = 0; d < features; d += 1) {
        (differences[d] as Float64Array)[p] = ((a[d] as number) - (b[d] as number)) ** 2;
      }
    }
  }
  const y = Float64Array.from(outputs);
  const kernel = new Float64Array(pairs);
  const slope = new Float64Array(pairs);
  const r2 = new Float64Array(pairs);
  return (theta) => {
    const gradient = new Float64Array(features + 2);
    const inverse = Float64Array.from({ length: features }, (_, d) =>
      Math.exp(-2 * (theta[d] as number)),
    );
    const signal = Math.exp(theta[features] as number);
    const noise = Math.exp(theta[features + 1] as number);
    r2.fill(0);
    for (let d = 0; d < features; d += 1) {
      const column = differences[d] as Float64Array;
      const w = inverse[d] as number;
      for (let p = 0; p < pairs; p += 1) r2[p] = (r2[p] as number) + (column[p] as number) * w;
    }
    const rows = Array.from({ length: n }, () => new Float64Array(n));
    for (let i = 0, p = 0; i < n; i += 1) {
      const ri = rows[i] as Float64Array;
      ri[i] = signal + noise;
      for (let j = 0; j < i; j += 1, p += 1) {
        const k = signal * matern52(r2[p] as number);
        kernel[p] = k;
        slope[p] = signal * matern52Slope(r2[p] as number);
        ri[j] = k;
        (rows[j] as Float64Array)[i] = k;
      }
    }
    const chol = factorize(rows);
    if (chol === undefined) return { value: -Infinity, gradient };
    const alpha = chol.solve(y);
    let fit = 0;
    for (let i = 0; i < n; i += 1) fit += (y[i] as number) * (alpha[i] as number);
    const value = -0.5 * fit - 0.5 * chol.logDeterminant - 0.5 * n * Math.log(2 * Math.PI);
    const kInverse = chol.inverse();
    // W = ααᵀ − K⁻¹; each off-diagonal pair appears twice in the trace, cancelling the ½.
    let traceW = 0;
    let signalGradient = 0;
    const lengthGradient = new Float64Array(features);
    for (let i = 0, p = 0; i < n; i += 1) {
      const ai = alpha[i] as number;
      const inverseRow = kInverse[i] as Float64Array;
      traceW += ai * ai - (inverseRow[i] as number);
      for (let j = 0; j < i; j += 1, p += 1) {
        const w = ai * (alpha[j] as number) - (inverseRow[j] as number);
        signalGradient += w * (kernel[p] as number);
        // ∂k/∂ln ℓ_d = −dk/d(r²) · (−2 Δ_d² / ℓ_d²).
        const common = 2 * w * (slope[p] as number);
        for (let d = 0; d < features; d += 1) {
          lengthGradient[d] =
            (lengthGradient[d] as number) +
            common * ((differences[d] as Float64Array)[p] as number);
        }
      }
    }
    for (let d = 0; d < features; d += 1) {
      gradient[d] = (lengthGradient[d] as number) * (inverse[d] as number);
    }
    gradient[features] = signalGradient + 0.5 * traceW * signal;
    gradient[features + 1] = 0.5 * traceW * noise;
    return { value, gradient };
  };
};
