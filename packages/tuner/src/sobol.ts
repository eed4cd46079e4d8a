import { DIRECTIONS, SOBOL_MAX_DIMENSIONS } from './sobol-directions.js';
import { createRng } from './prng.js';
import type { Seed } from './prng.js';
import { specViolation } from './spec-errors.js';

/** A Sobol low-discrepancy sequence in [0, 1)^d. */
export interface SobolSequence {
  readonly dimensions: number;
  /** The point at `index` (0-based), in Gray-code order as SciPy's Sobol. */
  point(index: number): number[];
}

const reverseBits = (value: number): number => {
  let x = value >>> 0;
  x = ((x >>> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >>> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >>> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  x = ((x >>> 8) & 0x00ff00ff) | ((x & 0x00ff00ff) << 8);
  return ((x >>> 16) | (x << 16)) >>> 0;
};

/**
 * Owen's nested uniform scramble in base 2, computed by hashing (Burley,
 * "Practical Hash-based Owen Scrambling", JCGT 2020): on reversed bits, adding
 * the seed and xor-ing with products by even constants changes each bit only
 * as a function of the bits below it, which is exactly a nested permutation.
 * Unlike a plain digital shift it also breaks the lattice artefacts of
 * unscrambled Sobol, and it keeps every 2^m-prefix a (t, m, s)-net.
 */
const owenScramble = (value: number, seed: number): number => {
  let x = reverseBits(value);
  x = (x + seed) >>> 0;
  x = (x ^ Math.imul(x, 0x6c50b47c)) >>> 0;
  x = (x ^ Math.imul(x, 0xb82f1e52)) >>> 0;
  x = (x ^ Math.imul(x, 0xc7afe638)) >>> 0;
  x = (x ^ Math.imul(x, 0x8d22f6e6)) >>> 0;
  return reverseBits(x);
};

const TWO_TO_32 = 4294967296;

/**
 * A Sobol sequence of `dimensions` coordinates. With `scrambleSeed` it is
 * Owen-scrambled (uniform on the cube, still low-discrepancy); without, it is
 * the plain sequence whose first point is the origin.
 */
export const createSobol = (
  dimensions: number,
  options: { scrambleSeed?: Seed } = {},
): SobolSequence => {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > SOBOL_MAX_DIMENSIONS) {
    throw specViolation(
      'params',
      `the quasi-random sequence supports 1 to ${SOBOL_MAX_DIMENSIONS} parameters, got ${dimensions}`,
    );
  }
  const directions = DIRECTIONS.slice(0, dimensions);
  const seeds: number[] | undefined =
    options.scrambleSeed === undefined
      ? undefined
      : (() => {
          const rng = createRng(options.scrambleSeed);
          return directions.map(() => rng.nextUint32());
        })();
  const point = (index: number): number[] => {
    if (!Number.isInteger(index) || index < 0 || index >= TWO_TO_32) {
      throw new RangeError(`Sobol index must be an integer in [0, 2^32), got ${index}`);
    }
    const gray = (index ^ (index >>> 1)) >>> 0;
    return directions.map((v, d) => {
      let x = 0;
      for (let bits = gray, k = 0; bits !== 0; bits >>>= 1, k += 1) {
        if (bits & 1) x ^= v[k] ?? 0;
      }
      const scrambled = seeds === undefined ? x >>> 0 : owenScramble(x, seeds[d] ?? 0);
      return scrambled / TWO_TO_32;
    });
  };
  return { dimensions, point };
};
