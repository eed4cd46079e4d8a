import { deriveSeed } from './prng.js';
import type { Rng, Seed } from './prng.js';
import type { HyperparameterValues, SearchSpace } from './search-space.js';
import { createSobol } from './sobol.js';
import type { StudyHistory } from './trial.js';

/** Sobol draws tried before a nearly full finite space is searched exhaustively. */
const DRAWS_BEFORE_ENUMERATION = 64;

/** Finite spaces up to this size are enumerated when the sequence keeps hitting used points. */
const MAX_ENUMERATION = 1_000_000;

/** A uniformly chosen point that is not taken, or undefined when the finite space is used up. */
export const untakenPoint = (
  space: SearchSpace,
  taken: ReadonlySet<string>,
  rng: Rng,
): HyperparameterValues | undefined => {
  if (space.size > MAX_ENUMERATION) return undefined;
  const free: number[] = [];
  for (let index = 0; index < space.size; index += 1) {
    if (!taken.has(space.key(space.pointAt(index)))) free.push(index);
  }
  const pick = free[Math.floor(rng.next() * free.length)];
  return pick === undefined ? undefined : space.pointAt(pick);
};

/**
 * RANDOM_SEARCH: the study's scrambled Sobol sequence, point `history.total`
 * onward, so successive calls continue one low-discrepancy sequence. Points
 * some trial already used are skipped (only possible in finite spaces); an
 * exhausted finite space gives fewer points, or none.
 */
export const suggestRandom = (
  space: SearchSpace,
  history: StudyHistory,
  count: number,
  seed: Seed,
  rng: Rng,
): HyperparameterValues[] => {
  const sobol = createSobol(space.parameters.length, { scrambleSeed: deriveSeed(seed, 0x5eed) });
  const taken = new Set(history.taken);
  const out: HyperparameterValues[] = [];
  let index = history.total;
  while (out.length < count) {
    let point: HyperparameterValues | undefined;
    for (let draw = 0; draw < DRAWS_BEFORE_ENUMERATION && point === undefined; draw += 1) {
      const candidate = space.decode(sobol.point(index));
      index += 1;
      if (!taken.has(space.key(candidate))) point = candidate;
    }
    point ??= Number.isFinite(space.size) ? untakenPoint(space, taken, rng) : undefined;
    if (point === undefined) break;
    taken.add(space.key(point));
    out.push(point);
  }
  return out;
};
