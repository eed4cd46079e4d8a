import type { HyperparameterValues, SearchSpace } from './search-space.js';
import { specViolation } from './spec-errors.js';
import type { StudyHistory } from './trial.js';

/** Largest grid GRID_SEARCH enumerates. @defaultValue 1_000_000 */
export const MAX_GRID_POINTS = 1_000_000;

/** Check that the space is a grid GRID_SEARCH can walk, and return its size. */
export const checkGrid = (space: SearchSpace): number => {
  space.parameters.forEach((p, i) => {
    if (p.spec.type === 'DOUBLE') {
      const field = `${space.fields[i] ?? `params[${i}]`}.type`;
      const description =
        `GRID_SEARCH cannot enumerate DOUBLE parameter "${p.name}"; ` +
        'give it discreteValues (type DISCRETE) or use RANDOM_SEARCH or ALGORITHM_UNSPECIFIED';
      throw specViolation(field, description);
    }
  });
  if (space.size > MAX_GRID_POINTS) {
    let widest = 0;
    space.parameters.forEach((p, i) => {
      if (p.cardinality > (space.parameters[widest]?.cardinality ?? 0)) widest = i;
    });
    const p = space.parameters[widest];
    const field = space.fields[widest] ?? `params[${widest}]`;
    const description =
      `the grid has ${space.size} points, more than ${MAX_GRID_POINTS}; ` +
      `"${p?.name}" alone has ${p?.cardinality} values`;
    throw specViolation(field, description);
  }
  return space.size;
};

/**
 * The next `count` grid points no trial has used, in the grid's fixed order
 * (params in spec order, the last varying fastest; values in listed order).
 * Fewer, or none, once the grid is exhausted. Reading "used" from the trials
 * instead of a cursor keeps it correct after a crash or a resumed study.
 */
export const suggestGrid = (
  space: SearchSpace,
  history: StudyHistory,
  count: number,
): HyperparameterValues[] => {
  const size = checkGrid(space);
  const out: HyperparameterValues[] = [];
  for (let index = 0; index < size && out.length < count; index += 1) {
    const point = space.pointAt(index);
    if (!history.taken.has(space.key(point))) out.push(point);
  }
  return out;
};
