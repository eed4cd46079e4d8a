/**
 * A small seeded pseudo-random generator. The tuner must be reproducible (same
 * trials and seed → same proposals), so nothing here touches Math.random.
 * sfc32 passes PractRand to 2^60 bytes and needs only 32-bit integer ops.
 */

/** What callers may pass as a seed: a number, or a string such as a job id. */
export type Seed = number | string;

/** A seeded stream of numbers. */
export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

/** One round of the murmur3 finaliser: spreads every input bit over the output. */
const fmix32 = (value: number): number => {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

const hashString = (text: string): number => {
  // FNV-1a over UTF-16 code units, then finalised so nearby strings diverge.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return fmix32(h);
};

/** Turn a seed and optional salts (trial count, batch index…) into one 32-bit seed. */
export const deriveSeed = (seed: Seed, ...salts: readonly number[]): number => {
  let h =
    typeof seed === 'number' && Number.isInteger(seed) && Math.abs(seed) <= 0xffffffff
      ? fmix32(seed >>> 0)
      : hashString(String(seed));
  for (const salt of salts) h = fmix32(h ^ ((fmix32(salt >>> 0) + 0x9e3779b9) >>> 0));
  return h;
};

/** A seeded sfc32 generator; its state is expanded from the seed by splitmix32. */
export const createRng = (seed: Seed): Rng => {
  let s = deriveSeed(seed);
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    return fmix32(s);
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = 1;
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Discard the first outputs: sfc32 mixes its state slowly right after seeding.
  for (let i = 0; i < 12; i += 1) nextUint32();
  const next = (): number => nextUint32() / 4294967296;
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const u = 1 - next(); // (0, 1]: log is finite
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * next();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  return { next, nextUint32, normal };
};
