/**
 * Reading a tfjs layers `model.json` layer config without tfjs: shapes, and
 * typed accessors that turn a malformed field into a TopologyProblem instead
 * of NaN. Used by the parameter counter (./count-params.ts), which must run
 * before tfjs allocates anything.
 */

/** One dimension: a size, or null where it is unknown (the batch, a free sequence length). */
export type Dim = number | null;
/** A tensor shape with its batch dimension first; undefined where the shape cannot be inferred. */
export type Shape = readonly Dim[];
export type MaybeShape = Shape | undefined;
export type LayerConfig = Readonly<Record<string, unknown>>;

/** The topology is malformed: a field has the wrong type or an impossible value. */
export class TopologyProblem extends Error {
  override readonly name = 'TopologyProblem';
}

/**
 * A layer that declares its size (units, filters, …) cannot be counted, e.g.
 * because its input shape is unknown: such a model is refused, since tfjs
 * would allocate whatever it declares.
 */
export class UncountableLayer extends Error {
  override readonly name = 'UncountableLayer';
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** A non-negative integer field; `fallback` when absent or null. */
export const count = (config: LayerConfig, key: string, fallback?: number): number => {
  const value = config[key] ?? fallback;
  if (!isCount(value)) {
    throw new TopologyProblem(
      `${key} must be a non-negative integer (got ${JSON.stringify(value)})`,
    );
  }
  return value;
};

/** A field that is one integer or a list of `rank` of them (kernel_size, strides, …). */
export const tuple = (
  config: LayerConfig,
  key: string,
  rank: number,
  fallback?: number | readonly number[],
): number[] => {
  const value = config[key] ?? fallback;
  const list = Array.isArray(value) ? (value as unknown[]) : Array<unknown>(rank).fill(value);
  if (list.length !== rank || !list.every(isCount)) {
    throw new TopologyProblem(
      `${key} must be ${rank} non-negative integers (got ${JSON.stringify(value)})`,
    );
  }
  return list as number[];
};

export const flag = (config: LayerConfig, key: string, fallback: boolean): boolean => {
  const value = config[key];
  return typeof value === 'boolean' ? value : fallback;
};

export const text = (config: LayerConfig, key: string, fallback: string): string => {
  const value = config[key];
  return typeof value === 'string' ? value : fallback;
};

/** A shape as written in a config (`batch_input_shape`: nulls allowed). */
export const parseShape = (value: unknown, key: string): Shape => {
  if (!Array.isArray(value) || !value.every((dim) => dim === null || isCount(dim))) {
    throw new TopologyProblem(
      `${key} must be a list of sizes or nulls (got ${JSON.stringify(value)})`,
    );
  }
  return value as Dim[];
};

/** A size that must be known to count a layer's weights. */
export const known = (dim: Dim | undefined, what: string): number => {
  if (dim === null || dim === undefined) {
    throw new UncountableLayer(`its ${what} is unknown`);
  }
  return dim;
};

/** The input shape a layer needs; UncountableLayer when it is unknown. */
export const knownShape = (shape: MaybeShape): Shape => {
  if (shape === undefined) throw new UncountableLayer('its input shape is unknown');
  return shape;
};

export const product = (dims: readonly Dim[]): Dim =>
  dims.reduce<Dim>((total, dim) => (total === null || dim === null ? null : total * dim), 1);

/** Index of `axis` (negative counts from the end) in a shape of `rank` dims. */
export const axisIndex = (axis: number, rank: number): number => {
  const index = axis < 0 ? rank + axis : axis;
  if (!Number.isInteger(index) || index < 0 || index >= rank) {
    throw new TopologyProblem(`axis ${axis} is outside a shape of rank ${rank}`);
  }
  return index;
};

/** The `axis` field as a list of integers (BatchNormalization, LayerNormalization, Concatenate). */
export const axes = (config: LayerConfig, fallback: number): number[] => {
  const value = config.axis ?? fallback;
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (!list.every((axis) => typeof axis === 'number' && Number.isInteger(axis))) {
    throw new TopologyProblem(
      `axis must be an integer or a list of them (got ${JSON.stringify(value)})`,
    );
  }
  return list as number[];
};
