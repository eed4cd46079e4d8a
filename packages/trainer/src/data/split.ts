/** The murmur3 finaliser: spreads every input bit over the output, so consecutive inputs look unrelated. */
function avalanche(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Whether row `index` belongs to the validation split. A hash of (seed,
 * index) rather than a shuffle, so a streamed file is split the same way on
 * every pass without remembering anything; the same seed gives the same split,
 * and different seeds give unrelated splits.
 */
export function isValidationRow(seed: number, index: number, fraction: number): boolean {
  if (fraction <= 0) return false;
  const key = avalanche(avalanche(seed ^ 0x2545f491) ^ Math.imul(index + 1, 0x9e3779b1));
  return key / 4294967296 < fraction;
}
