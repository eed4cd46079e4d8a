import type { ScaleType } from '@stratus/spec';

/**
 * Scale transforms between a parameter's range [min, max] and the unit
 * interval, as Cloud ML Engine / Vizier define them:
 * - UNIT_LINEAR_SCALE (and NONE or unset): u = (x − min) / (max − min)
 * - UNIT_LOG_SCALE: u = ln(x / min) / ln(max / min); needs min > 0
 * - UNIT_REVERSE_LOG_SCALE: u = 1 − ln((max + min − x) / min) / ln(max / min);
 *   the mirror image of the log scale, so resolution is finest near max
 *   (e.g. a discount factor in [0.9, 0.9999]); needs min > 0.
 */

/** Whether the scale needs a strictly positive minimum. */
export const isLogarithmic = (scale: ScaleType | undefined): boolean =>
  scale === 'UNIT_LOG_SCALE' || scale === 'UNIT_REVERSE_LOG_SCALE';

const clampUnit = (u: number): number => (u < 0 ? 0 : u > 1 ? 1 : u);

/** Map x ∈ [min, max] to [0, 1] (clamped) under the scale. */
export const toUnit = (
  x: number,
  min: number,
  max: number,
  scale: ScaleType | undefined,
): number => {
  // Exact ends: max + min − max need not round back to min.
  if (x <= min) return 0;
  if (x >= max) return 1;
  switch (scale) {
    case 'UNIT_LOG_SCALE':
      return clampUnit(Math.log(Math.max(x, min) / min) / Math.log(max / min));
    case 'UNIT_REVERSE_LOG_SCALE':
      return clampUnit(1 - Math.log(Math.max(max + min - x, min) / min) / Math.log(max / min));
    default:
      return clampUnit((x - min) / (max - min));
  }
};

/** Map u ∈ [0, 1] back to [min, max] under the scale (clamped, so rounding never leaves the range). */
export const fromUnit = (
  u: number,
  min: number,
  max: number,
  scale: ScaleType | undefined,
): number => {
  const t = clampUnit(u);
  let x: number;
  switch (scale) {
    case 'UNIT_LOG_SCALE':
      x = min * Math.exp(t * Math.log(max / min));
      break;
    case 'UNIT_REVERSE_LOG_SCALE':
      x = max + min - min * Math.exp((1 - t) * Math.log(max / min));
      break;
    default:
      x = min + t * (max - min);
  }
  if (t === 0) return min;
  if (t === 1) return max;
  return x < min ? min : x > max ? max : x;
};
