/**
 * The memory a data-parallel trial's threads share (parallel-fit.ts): the training rows, the
 * epoch's shuffled order, the weights of the current step, one gradient and one set of
 * `[loss, ...metrics]` per thread, and a control block the threads synchronise on with
 * `Atomics`. Nothing large crosses a message after the threads start.
 */

/** Slots of the control block (an Int32Array). */
export const CONTROL = {
  /** Bumped by the main thread to start a step (or stop); workers `Atomics.wait` on it. */
  generation: 0,
  /** STEP or STOP. */
  command: 1,
  /** Workers that finished the current step; the main thread waits on it. */
  done: 2,
  epoch: 3,
  /** The batch: positions `[batchStart, batchEnd)` of `order`. */
  batchStart: 4,
  batchEnd: 5,
  /** 1 + the index of a worker that failed, else 0. */
  failed: 6,
} as const;
const CONTROL_SLOTS = 8;

export const STEP = 1;
export const STOP = 2;

export interface SharedTraining {
  readonly threads: number;
  /** Trainable parameters of the model. */
  readonly params: number;
  /** `[loss, ...metrics]` per thread. */
  readonly valueCount: number;
  /** Shape of one example's `xs` and `ys` row (without the batch dimension). */
  readonly xShape: readonly number[];
  readonly yShape: readonly number[];
  readonly control: SharedArrayBuffer;
  readonly order: SharedArrayBuffer;
  readonly xs: SharedArrayBuffer;
  readonly ys: SharedArrayBuffer;
  readonly weights: SharedArrayBuffer;
  readonly gradients: SharedArrayBuffer;
  readonly values: SharedArrayBuffer;
}

/** Typed views of the shared memory, made in each thread. */
export interface SharedViews {
  readonly control: Int32Array;
  readonly order: Int32Array;
  readonly xs: Float32Array;
  readonly ys: Float32Array;
  readonly xShape: readonly number[];
  readonly yShape: readonly number[];
  readonly xWidth: number;
  readonly yWidth: number;
  readonly weights: Float32Array;
  /** The gradient slot of each thread. */
  readonly gradients: Float32Array[];
  /** The `[loss, ...metrics]` slot of each thread. */
  readonly values: Float64Array[];
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Allocate the shared memory for `rows` examples, with the rows copied in. */
export function allocateShared(options: {
  threads: number;
  params: number;
  valueCount: number;
  xs: Float32Array;
  ys: Float32Array;
  rows: number;
  xShape: readonly number[];
  yShape: readonly number[];
}): SharedTraining {
  const { threads, params, valueCount, rows } = options;
  const copy = (values: Float32Array): SharedArrayBuffer => {
    const buffer = new SharedArrayBuffer(values.byteLength);
    new Float32Array(buffer).set(values);
    return buffer;
  };
  return {
    threads,
    params,
    valueCount,
    xShape: options.xShape,
    yShape: options.yShape,
    control: new SharedArrayBuffer(CONTROL_SLOTS * 4),
    order: new SharedArrayBuffer(rows * 4),
    xs: copy(options.xs),
    ys: copy(options.ys),
    weights: new SharedArrayBuffer(params * 4),
    gradients: new SharedArrayBuffer(threads * params * 4),
    values: new SharedArrayBuffer(threads * valueCount * 8),
  };
}

export function sharedViews(shared: SharedTraining): SharedViews {
  const slots = Array.from({ length: shared.threads }, (_, i) => i);
  return {
    control: new Int32Array(shared.control),
    order: new Int32Array(shared.order),
    xs: new Float32Array(shared.xs),
    ys: new Float32Array(shared.ys),
    xShape: shared.xShape,
    yShape: shared.yShape,
    xWidth: product(shared.xShape),
    yWidth: product(shared.yShape),
    weights: new Float32Array(shared.weights),
    gradients: slots.map(
      (i) => new Float32Array(shared.gradients, i * shared.params * 4, shared.params),
    ),
    values: slots.map(
      (i) => new Float64Array(shared.values, i * shared.valueCount * 8, shared.valueCount),
    ),
  };
}

/** Thread `index`'s contiguous shard `[from, to)` of the batch `[start, end)`. */
export function shardRange(
  start: number,
  end: number,
  threads: number,
  index: number,
): { from: number; to: number } {
  const size = end - start;
  return {
    from: start + Math.floor((size * index) / threads),
    to: start + Math.floor((size * (index + 1)) / threads),
  };
}
