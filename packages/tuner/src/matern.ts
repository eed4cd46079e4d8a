/** The Matérn 5/2 covariance with automatic relevance determination (one length scale per input). */

export const SQRT5 = Math.sqrt(5);

/** k(r) / σ² for the squared scaled distance r² = Σ ((a_d − b_d) / ℓ_d)². */
export const matern52 = (r2: number): number => {
  const r = Math.sqrt(r2);
  return (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
};

/**
 * −dk/d(r²) / σ² = (5/6)(1 + √5 r) e^{−√5 r}; finite at r = 0, which is why the
 * gradients are written in terms of r² rather than r.
 */
export const matern52Slope = (r2: number): number => {
  const r = Math.sqrt(r2);
  return (5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
};

/** Σ_d (a_d − b_d)² · inverseSquaredScales_d. */
export const scaledDistance2 = (
  a: Float64Array,
  b: Float64Array,
  inverseSquaredScales: Float64Array,
): number => {
  let sum = 0;
  for (let d = 0; d < a.length; d += 1) {
    const t = (a[d] as number) - (b[d] as number);
    sum += t * t * (inverseSquaredScales[d] as number);
  }
  return sum;
};
