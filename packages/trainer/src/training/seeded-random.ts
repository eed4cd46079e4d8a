/**
 * TensorFlow.js draws weight initialisers, dropout masks and shuffles from
 * `Math.random` unless every call is given a seed, and a fixed seed on a
 * dropout layer repeats the same mask on every batch. So a trial swaps in a
 * seeded generator while it trains, reseeded from (seed, epoch) at each epoch:
 * the RNG state of a checkpoint is then just its epoch number.
 */

/** mulberry32: small, fast, good enough for initialisation and shuffling. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mix a seed and a stream number into one 32-bit seed. */
export function mixSeed(seed: number, stream: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (stream + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Replaces Math.random until `restore()`; `reseed` starts a new deterministic stream. */
export class SeededRandomScope {
  private readonly original = Math.random;
  constructor(readonly seed: number) {
    this.reseed(0);
  }

  /** Stream 0 builds the model; stream e drives epoch e. */
  reseed(stream: number): void {
    Math.random = mulberry32(mixSeed(this.seed, stream));
  }

  restore(): void {
    Math.random = this.original;
  }
}
