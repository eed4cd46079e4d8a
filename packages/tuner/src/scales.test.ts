import { describe, expect, it } from 'vitest';
import { fromUnit, toUnit } from './scales.js';

describe('scale transforms', () => {
  const cases = [
    ['UNIT_LINEAR_SCALE', -5, 10],
    ['UNIT_LOG_SCALE', 1e-5, 1],
    ['UNIT_REVERSE_LOG_SCALE', 0.9, 0.9999],
    [undefined, 0, 1],
  ] as const;

  it.each(cases)('%s round-trips and stays in range', (scale, min, max) => {
    for (let i = 0; i <= 100; i += 1) {
      const u = i / 100;
      const x = fromUnit(u, min, max, scale);
      expect(x).toBeGreaterThanOrEqual(min);
      expect(x).toBeLessThanOrEqual(max);
      expect(toUnit(x, min, max, scale)).toBeCloseTo(u, 9);
    }
    expect(fromUnit(0, min, max, scale)).toBe(min);
    expect(fromUnit(1, min, max, scale)).toBe(max);
  });

  it('log scale puts the geometric mean in the middle', () => {
    expect(fromUnit(0.5, 1e-4, 1, 'UNIT_LOG_SCALE')).toBeCloseTo(1e-2, 12);
    expect(toUnit(1e-3, 1e-4, 1, 'UNIT_LOG_SCALE')).toBeCloseTo(0.25, 12);
  });

  it('reverse log scale matches Vizier (bounds 1e-4..1e2: 1.0 → 7.273945e-4)', () => {
    expect(toUnit(1e-4, 1e-4, 1e2, 'UNIT_REVERSE_LOG_SCALE')).toBe(0);
    expect(toUnit(1, 1e-4, 1e2, 'UNIT_REVERSE_LOG_SCALE')).toBeCloseTo(7.273945e-4, 9);
    expect(toUnit(1e2, 1e-4, 1e2, 'UNIT_REVERSE_LOG_SCALE')).toBe(1);
  });

  it('reverse log scale gives the range near max the finest resolution', () => {
    // Half the unit interval maps to the top sliver of [0.9, 0.9999].
    const mid = fromUnit(0.5, 0.9, 0.9999, 'UNIT_REVERSE_LOG_SCALE');
    expect(mid).toBeCloseTo(0.9 + 0.9999 - Math.sqrt(0.9 * 0.9999), 12);
    expect(0.9999 - mid).toBeLessThan(mid - 0.9);
  });

  it('clamps values outside the range to the ends of the unit interval', () => {
    expect(toUnit(20, 0, 10, 'UNIT_LINEAR_SCALE')).toBe(1);
    expect(toUnit(-1, 1, 10, 'UNIT_LOG_SCALE')).toBe(0);
  });
});
