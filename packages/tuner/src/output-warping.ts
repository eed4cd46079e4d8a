/**
 * Output warping before the GP: standardise, apply the Yeo–Johnson power
 * transform with λ ∈ [0, 2] chosen by maximum likelihood, standardise again
 * (as HEBO and BoTorch's power transform do). A few disastrous trials (a
 * diverged learning rate; Branin's 308 against an optimum of 0.4) make the
 * objective strongly skewed, and a stationary GP fitted to it must explain
 * the tail with its noise and signal scales, blurring the differences near the
 * optimum that decide the next proposal. The transform is monotone, so the
 * order of trials is kept. λ is bounded to [0, 2] because larger values
 * stretch the single best value into an outlier and the optimiser then keeps
 * sampling next to it (measured on Branin: runs stalled at a boundary point).
 */

const LAMBDA_RANGE: readonly [number, number] = [0, 2];

const yeoJohnson = (x: number, lambda: number): number => {
  if (x >= 0) return Math.abs(lambda) < 1e-9 ? Math.log1p(x) : ((x + 1) ** lambda - 1) / lambda;
  return Math.abs(lambda - 2) < 1e-9
    ? -Math.log1p(-x)
    : -((1 - x) ** (2 - lambda) - 1) / (2 - lambda);
};

/** (v − mean) / sd; constant inputs map to 0 rather than dividing by 0. */
export const standardize = (values: readonly number[]): number[] => {
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const scale = sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1;
  return values.map((v) => (v - mean) / scale);
};

/** The profile log likelihood of λ for standardised x (Yeo & Johnson 2000). */
const logLikelihood = (x: readonly number[], lambda: number, logJacobian: number): number => {
  const t = x.map((v) => yeoJohnson(v, lambda));
  const mean = t.reduce((s, v) => s + v, 0) / t.length;
  const variance = t.reduce((s, v) => s + (v - mean) ** 2, 0) / t.length;
  return -0.5 * t.length * Math.log(Math.max(variance, 1e-300)) + (lambda - 1) * logJacobian;
};

/** Warp objective values (higher is better) for the GP: mean 0, variance 1, order kept. */
export const warpOutputs = (values: readonly number[]): number[] => {
  const x = standardize(values);
  const logJacobian = x.reduce((s, v) => s + Math.sign(v) * Math.log1p(Math.abs(v)), 0);
  // Golden-section search: the profile likelihood is unimodal in λ in practice.
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [lo, hi] = LAMBDA_RANGE;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = logLikelihood(x, a, logJacobian);
  let fb = logLikelihood(x, b, logJacobian);
  for (let i = 0; i < 40; i += 1) {
    if (fa > fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = logLikelihood(x, a, logJacobian);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = logLikelihood(x, b, logJacobian);
    }
  }
  const lambda = (lo + hi) / 2;
  return standardize(x.map((v) => yeoJohnson(v, lambda)));
};
