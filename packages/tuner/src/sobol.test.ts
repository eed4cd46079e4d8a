import { describe, expect, it } from 'vitest';
import { isStratusError } from '@stratus/spec';
import { createSobol } from './sobol.js';
import { DIRECTION_ROWS, SOBOL_MAX_DIMENSIONS } from './sobol-directions.js';

/** x^k mod p over GF(2), p of degree s. */
const gf2PowMod = (k: number, p: number, s: number): number => {
  let result = 1;
  for (let i = 0; i < k; i += 1) {
    result <<= 1;
    if ((result >> s) & 1) result ^= p;
  }
  return result;
};

/** A degree-s polynomial is primitive when x has multiplicative order exactly 2^s − 1. */
const isPrimitive = (p: number, s: number): boolean => {
  const order = 2 ** s - 1;
  if (gf2PowMod(order, p, s) !== 1) return false;
  for (let d = 1; d < order; d += 1) {
    if (order % d === 0 && gf2PowMod(d, p, s) === 1) return false;
  }
  return true;
};

describe('Joe–Kuo direction table', () => {
  it('lists every primitive polynomial of degree ≤ 9 in increasing order, then degree 10', () => {
    expect(DIRECTION_ROWS.length).toBe(SOBOL_MAX_DIMENSIONS - 1);
    const polynomials = DIRECTION_ROWS.map(({ degree, coefficients }) => ({
      degree,
      mask: (1 << degree) | (coefficients << 1) | 1,
    }));
    for (const { degree, mask } of polynomials) expect(isPrimitive(mask, degree)).toBe(true);
    // φ(2^s − 1)/s primitive polynomials of each degree: 1, 1, 2, 2, 6, 6, 18, 16, 48.
    const counts = [1, 1, 2, 2, 6, 6, 18, 16, 48].map(
      (_, i) => polynomials.filter((p) => p.degree === i + 1).length,
    );
    expect(counts).toEqual([1, 1, 2, 2, 6, 6, 18, 16, 48]);
    for (let i = 1; i < polynomials.length; i += 1) {
      const [prev, cur] = [polynomials[i - 1], polynomials[i]];
      expect((cur?.mask ?? 0) > (prev?.mask ?? 0)).toBe(true);
    }
    DIRECTION_ROWS.forEach(({ degree, initial }) => {
      expect(initial).toHaveLength(degree);
      initial.forEach((m, k) => {
        expect(m % 2).toBe(1);
        expect(m).toBeLessThan(2 ** (k + 1));
      });
    });
  });
});

describe('createSobol (unscrambled)', () => {
  // Reference values: scipy.stats.qmc.Sobol(d, scramble=False).random(n), SciPy 1.17.
  it('matches SciPy for the first points in 4 dimensions', () => {
    const sobol = createSobol(4);
    expect(Array.from({ length: 8 }, (_, i) => sobol.point(i))).toEqual([
      [0, 0, 0, 0],
      [0.5, 0.5, 0.5, 0.5],
      [0.75, 0.25, 0.25, 0.25],
      [0.25, 0.75, 0.75, 0.75],
      [0.375, 0.375, 0.625, 0.875],
      [0.875, 0.875, 0.125, 0.375],
      [0.625, 0.125, 0.875, 0.625],
      [0.125, 0.625, 0.375, 0.125],
    ]);
  });

  it('matches SciPy deep into the sequence in the last dimensions of the table', () => {
    const sobol = createSobol(128);
    const pick = (i: number): number[] =>
      [0, 1, 2, 39, 99, 125, 126, 127].map((d) => sobol.point(i)[d] ?? NaN);
    expect(pick(1023)).toEqual([
      0.0009765625, 0.7529296875, 0.6123046875, 0.6982421875, 0.5302734375, 0.5810546875,
      0.5751953125, 0.7001953125,
    ]);
    expect(pick(3000)).toEqual([
      0.150146484375, 0.338134765625, 0.582763671875, 0.702392578125, 0.264892578125,
      0.808837890625, 0.828369140625, 0.804931640625,
    ]);
    expect(pick(4095)).toEqual([
      0.000244140625, 0.941162109375, 0.334228515625, 0.227294921875, 0.962646484375,
      0.759521484375, 0.976318359375, 0.261474609375,
    ]);
  });

  it('refuses more dimensions than the table carries', () => {
    let caught: unknown;
    try {
      createSobol(129);
    } catch (error) {
      caught = error;
    }
    expect(isStratusError(caught) && caught.reason).toBe('INVALID_HYPERPARAMETER_SPEC');
    expect(String(caught)).toContain('1 to 128 parameters, got 129');
  });
});

describe('createSobol (Owen-scrambled)', () => {
  it('is reproducible by seed and differs between seeds', () => {
    const a = createSobol(3, { scrambleSeed: 9 });
    const b = createSobol(3, { scrambleSeed: 9 });
    const c = createSobol(3, { scrambleSeed: 10 });
    expect(a.point(5)).toEqual(b.point(5));
    expect(a.point(5)).not.toEqual(c.point(5));
  });

  it('puts exactly one of the first 2^m points in every 1-D interval of width 2^-m, in each of 24 dimensions', () => {
    const sobol = createSobol(24, { scrambleSeed: 'study' });
    const points = Array.from({ length: 256 }, (_, i) => sobol.point(i));
    for (let d = 0; d < 24; d += 1) {
      const bins = new Set(points.map((p) => Math.floor((p[d] ?? 0) * 256)));
      expect(bins.size).toBe(256);
    }
  });

  it('keeps the (0, m, 2)-net property of the first two dimensions: one point per elementary box', () => {
    const sobol = createSobol(2, { scrambleSeed: 77 });
    const points = Array.from({ length: 256 }, (_, i) => sobol.point(i));
    for (let a = 0; a <= 8; a += 1) {
      const boxes = new Set(
        points.map(
          (p) => `${Math.floor((p[0] ?? 0) * 2 ** a)}:${Math.floor((p[1] ?? 0) * 2 ** (8 - a))}`,
        ),
      );
      expect(boxes.size).toBe(256);
    }
  });

  it('covers the cube more evenly than independent uniform draws', () => {
    // Largest empty-box proxy: the worst count deviation over a 8×8 grid of cells, 512 points.
    const deviation = (points: number[][]): number => {
      const cells = new Array<number>(64).fill(0);
      for (const p of points) {
        const i = Math.floor((p[0] ?? 0) * 8) * 8 + Math.floor((p[1] ?? 0) * 8);
        cells[i] = (cells[i] ?? 0) + 1;
      }
      return Math.max(...cells.map((c) => Math.abs(c - 8)));
    };
    const sobol = createSobol(2, { scrambleSeed: 1 });
    const quasi = Array.from({ length: 512 }, (_, i) => sobol.point(i));
    expect(deviation(quasi)).toBe(0);
    let state = 12345;
    const lcg = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state / 2 ** 32;
    };
    const random = Array.from({ length: 512 }, () => [lcg(), lcg()]);
    expect(deviation(random)).toBeGreaterThan(3);
  });
});
