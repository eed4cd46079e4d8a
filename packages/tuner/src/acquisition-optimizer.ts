import type { Rng } from './prng.js';
import type { HyperparameterValues, SearchSpace } from './search-space.js';
import { createSobol } from './sobol.js';

/** The best point found and its acquisition value. */
export interface AcquisitionMaximum {
  readonly values: HyperparameterValues;
  readonly key: string;
  readonly score: number;
}

export interface AcquisitionSearchOptions {
  /** Quasi-random candidates. @defaultValue min(4096, 512 + 256 × parameters) */
  readonly candidates?: number;
  /** Best candidates refined by local search. @defaultValue 5 */
  readonly refine?: number;
}

interface Scored {
  readonly u: number[];
  readonly values: HyperparameterValues;
  readonly key: string;
  readonly score: number;
}

/** Keep a moved coordinate inside [0, 1), where `decode` is defined. */
const clamp = (v: number): number => (v < 0 ? 0 : v >= 1 ? 1 - 1e-12 : v);

/** Parameters with at most this many values are refined by trying each value. */
const EXHAUSTIVE_CARDINALITY = 16;

/**
 * Maximise an acquisition function over the search space: score quasi-random
 * candidates and perturbations of `anchors` (cube points of the best trials),
 * then refine the best few by a compass search in the cube, each move decoded
 * to legal values. Points whose key is in `taken` score −∞, so an exhausted
 * neighbourhood pushes the search elsewhere. Undefined when every point tried
 * was taken or hopeless.
 */
export const maximizeAcquisition = (
  space: SearchSpace,
  acquisition: (features: Float64Array) => number,
  taken: ReadonlySet<string>,
  anchors: readonly (readonly number[])[],
  rng: Rng,
  options: AcquisitionSearchOptions = {},
): AcquisitionMaximum | undefined => {
  const dims = space.parameters.length;
  const cache = new Map<string, number>();
  const evaluate = (u: number[]): Scored => {
    const values = space.decode(u);
    const key = space.key(values);
    let score = cache.get(key);
    if (score === undefined) {
      score = taken.has(key) ? -Infinity : acquisition(space.encode(values));
      cache.set(key, score);
    }
    return { u, values, key, score };
  };
  const pool: Scored[] = [];
  const total = options.candidates ?? Math.min(4096, 512 + 256 * dims);
  const sobol = createSobol(dims, { scrambleSeed: rng.nextUint32() });
  for (let i = 0; i < total; i += 1) pool.push(evaluate(sobol.point(i)));
  for (const anchor of anchors) {
    for (let i = 0; i < 32; i += 1) {
      const scale = i < 16 ? 0.02 : 0.1;
      pool.push(evaluate(anchor.map((v) => clamp(v + scale * rng.normal()))));
    }
  }
  pool.sort((a, b) => b.score - a.score);
  const starts: Scored[] = [];
  for (const candidate of pool) {
    if (starts.length >= (options.refine ?? 5) || candidate.score === -Infinity) break;
    if (!starts.some((s) => s.key === candidate.key)) starts.push(candidate);
  }
  let best: Scored | undefined = pool[0]?.score === -Infinity ? undefined : pool[0];
  for (const start of starts) {
    const refined = compassSearch(space, evaluate, start, 40 * dims);
    if (best === undefined || refined.score > best.score) best = refined;
  }
  return best === undefined ? undefined : { values: best.values, key: best.key, score: best.score };
};

/** Coordinate-wise pattern search in the cube, halving the step when no move helps. */
const compassSearch = (
  space: SearchSpace,
  evaluate: (u: number[]) => Scored,
  start: Scored,
  budget: number,
): Scored => {
  let current = start;
  let step = 0.05;
  let used = 0;
  while (step > 1e-4 && used < budget) {
    let improved = false;
    space.parameters.forEach((p, d) => {
      const moves: number[] = [];
      if (p.cardinality <= EXHAUSTIVE_CARDINALITY) {
        for (let i = 0; i < p.cardinality; i += 1) moves.push((i + 0.5) / p.cardinality);
      } else {
        const at = current.u[d] ?? 0;
        moves.push(clamp(at + step), clamp(at - step));
      }
      for (const move of moves) {
        if (move === current.u[d]) continue;
        const u = [...current.u];
        u[d] = move;
        const next = evaluate(u);
        used += 1;
        if (next.score > current.score) {
          current = next;
          improved = true;
        }
      }
    });
    if (!improved) step /= 2;
  }
  return current;
};
