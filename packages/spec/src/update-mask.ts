import { fieldError } from './field-errors.js';

/**
 * The fields each resource's PATCH may change, as `updateMask` paths
 * (Cloud ML: jobs take labels; models description and labels; versions
 * description, labels and the two replica counts).
 */
export const UPDATABLE_PATHS = {
  job: ['labels'],
  model: ['description', 'labels'],
  version: ['description', 'labels', 'manualScaling.nodes', 'autoScaling.minNodes'],
} as const;
export type PatchKind = keyof typeof UPDATABLE_PATHS;
export type UpdatePath<K extends PatchKind> = (typeof UPDATABLE_PATHS)[K][number];

const RESOURCE_NAMES: Readonly<Record<PatchKind, string>> = {
  job: 'Job',
  model: 'Model',
  version: 'Version',
};

/** `manual_scaling.nodes` → `manualScaling.nodes`: FieldMask paths may be snake_case. */
const camelPath = (path: string): string =>
  path.replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());

/**
 * Parse an `updateMask` (a FieldMask in its JSON form: comma-separated
 * dotted paths) for `kind`; missing, empty, unknown or read-only paths are a
 * 400 naming the path. Duplicates are kept once, in first-seen order.
 */
export const parseUpdateMask = <K extends PatchKind>(
  kind: K,
  mask: string | undefined,
): UpdatePath<K>[] => {
  const allowed: readonly string[] = UPDATABLE_PATHS[kind];
  if (mask === undefined || mask.trim() === '') {
    throw fieldError(
      'INVALID_ARGUMENT',
      'updateMask',
      `is required: name the fields to change (${allowed.join(', ')})`,
    );
  }
  const paths: UpdatePath<K>[] = [];
  mask.split(',').forEach((raw, index) => {
    const path = camelPath(raw.trim());
    if (path === '') {
      throw fieldError('INVALID_ARGUMENT', 'updateMask', `path ${index + 1} is empty`);
    }
    const known = allowed.find((candidate) => candidate === path) as UpdatePath<K> | undefined;
    if (known === undefined) {
      throw fieldError(
        'INVALID_ARGUMENT',
        'updateMask',
        `"${raw.trim()}" cannot be updated on a ${RESOURCE_NAMES[kind]}; updatable fields: ${allowed.join(', ')}`,
      );
    }
    if (!paths.includes(known)) paths.push(known);
  });
  return paths;
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a dotted path, or undefined where any step is missing. */
export const valueAtPath = (source: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((value, name) => (isRecord(value) ? value[name] : undefined), source);

/** A copy of `target` with `path` set to `value`, or removed when value is undefined (empty parents go too). */
const withPath = (
  target: Readonly<Record<string, unknown>>,
  names: readonly string[],
  value: unknown,
): Record<string, unknown> => {
  const [head, ...rest] = names;
  const out = { ...target };
  if (head === undefined) return out;
  if (rest.length === 0) {
    if (value === undefined) delete out[head];
    else out[head] = value;
    return out;
  }
  const current = out[head];
  const child = withPath(isRecord(current) ? current : {}, rest, value);
  if (Object.keys(child).length === 0) delete out[head];
  else out[head] = child;
  return out;
};

/**
 * FieldMask update semantics: each masked path takes its value from
 * `patch`, and one the patch leaves out is cleared; nothing else changes.
 */
export const applyUpdateMask = <T extends object>(
  current: T,
  patch: unknown,
  paths: readonly string[],
): T => {
  let result: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const path of paths) result = withPath(result, path.split('.'), valueAtPath(patch, path));
  // Only the masked paths changed, each to a value the caller validated for it.
  return result as T;
};
