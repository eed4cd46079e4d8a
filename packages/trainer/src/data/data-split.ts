import { tf } from '@stratus/bundle';
import { mixSeed, mulberry32 } from '../training/seeded-random.js';
import {
  rebatch,
  shuffledIndices,
  type ExampleBlock,
  type ExampleWidths,
} from './example-blocks.js';

/** One batch as `fitDataset` takes it: `xs` `[b, ...inputShape]`, `ys` `[b, outputs]`. */
export interface Batch extends tf.TensorContainerObject {
  xs: tf.Tensor;
  ys: tf.Tensor;
}

export interface BatchOptions {
  /** Shuffle the examples of every pass. @defaultValue false */
  readonly shuffle?: boolean;
  /**
   * Seed of the first pass's order; pass k uses (seed, k). Without one, each
   * pass draws its seed from `Math.random` when its first batch is taken, so
   * under the training loop's per-epoch seeded `Math.random` the order is a
   * function of (trial seed, epoch), and a resumed trial repeats it.
   */
  readonly seed?: number;
  /** Streamed splits: examples held for shuffling. @defaultValue enough for 16 MiB, at most 10,000 */
  readonly shuffleBuffer?: number;
}

interface SplitBase {
  /** Examples in the split. */
  readonly rows: number;
  /** Shape of one example's input (`[features]` or `[h, w, c]`). */
  readonly inputShape: readonly number[];
  /** Model outputs per example (classes, or 1). */
  readonly outputUnits: number;
  /** A dataset of batches for `model.fitDataset`; every iteration (epoch) is a fresh pass. */
  batches(batchSize: number, options?: BatchOptions): tf.data.Dataset<Batch>;
}

/** A split held in memory: use `tensors()` with `model.fit`, which is faster for small data. */
export interface InMemorySplit extends SplitBase {
  readonly kind: 'memory';
  /** Inputs, `rows × prod(inputShape)`, row-major. */
  readonly xs: Float32Array;
  /** Targets, `rows × outputUnits`: one-hot classes or standardised regression targets. */
  readonly ys: Float32Array;
  /** New tensors over `xs`/`ys` (the caller disposes them). */
  tensors(): Batch;
}

/** A split streamed from local disk in bounded memory, batch by batch. */
export interface StreamingSplit extends SplitBase {
  readonly kind: 'stream';
}

export type DataSplit = InMemorySplit | StreamingSplit;

/** A split description: its size and shapes and how to read it once. */
export interface SplitSource {
  readonly rows: number;
  readonly inputShape: readonly number[];
  readonly outputUnits: number;
  /** One pass over the examples, in file order. */
  blocks(): AsyncIterable<ExampleBlock>;
}

const SHUFFLE_BUFFER_BYTES = 16 * 1024 * 1024;
const widthsOf = (source: SplitSource): ExampleWidths => ({
  x: source.inputShape.reduce((a, b) => a * b, 1),
  y: source.outputUnits,
});

/** Seeds for successive passes: from `options.seed` and a pass counter, or drawn from Math.random. */
function passSeeds(options: BatchOptions): () => number {
  let pass = 0;
  return () => {
    const seed =
      options.seed === undefined
        ? Math.floor(Math.random() * 4294967296)
        : mixSeed(options.seed, pass);
    pass += 1;
    return seed;
  };
}

function toBatch(block: ExampleBlock, source: SplitSource): Batch {
  return {
    xs: tf.tensor(block.xs, [block.count, ...source.inputShape], 'float32'),
    ys: tf.tensor2d(block.ys, [block.count, source.outputUnits], 'float32'),
  };
}

/** A split read from disk on every pass. */
export function streamingSplit(source: SplitSource): StreamingSplit {
  const widths = widthsOf(source);
  return {
    kind: 'stream',
    rows: source.rows,
    inputShape: source.inputShape,
    outputUnits: source.outputUnits,
    batches(batchSize, options = {}) {
      const nextSeed = passSeeds(options);
      const perRow = 4 * (widths.x + widths.y);
      const buffer = options.shuffle
        ? (options.shuffleBuffer ??
          Math.max(1, Math.min(10_000, Math.floor(SHUFFLE_BUFFER_BYTES / perRow))))
        : 0;
      return tf.data.generator(async function* () {
        const seed = nextSeed();
        const batches = rebatch(source.blocks(), widths, {
          batchSize,
          shuffleBuffer: buffer,
          seed,
        });
        for await (const block of batches) yield toBatch(block, source);
      });
    },
  };
}

/** Read every example of `source` into memory (pass 2 once). */
export async function materialise(source: SplitSource): Promise<InMemorySplit> {
  const widths = widthsOf(source);
  const xs = new Float32Array(source.rows * widths.x);
  const ys = new Float32Array(source.rows * widths.y);
  let rows = 0;
  for await (const block of source.blocks()) {
    if (rows + block.count > source.rows) {
      throw new Error(`pass 2 found more than the ${source.rows} examples pass 1 counted`);
    }
    xs.set(block.xs, rows * widths.x);
    ys.set(block.ys, rows * widths.y);
    rows += block.count;
  }
  if (rows !== source.rows) {
    throw new Error(`pass 2 found ${rows} examples, pass 1 counted ${source.rows}`);
  }
  return inMemorySplit(xs, ys, source.inputShape, source.outputUnits);
}

/** A split over arrays already in memory. */
export function inMemorySplit(
  xs: Float32Array,
  ys: Float32Array,
  inputShape: readonly number[],
  outputUnits: number,
): InMemorySplit {
  const xw = inputShape.reduce((a, b) => a * b, 1);
  const rows = xs.length / xw;
  const source: SplitSource = {
    rows,
    inputShape,
    outputUnits,
    blocks: async function* () {
      yield { xs, ys, count: rows };
    },
  };
  return {
    kind: 'memory',
    rows,
    inputShape,
    outputUnits,
    xs,
    ys,
    tensors: () => toBatch({ xs, ys, count: rows }, source),
    batches(batchSize, options = {}) {
      const nextSeed = passSeeds(options);
      const size = Math.max(1, Math.floor(batchSize));
      return tf.data.generator(function* () {
        const order = options.shuffle ? shuffledIndices(rows, mulberry32(nextSeed())) : undefined;
        for (let start = 0; start < rows; start += size) {
          const count = Math.min(size, rows - start);
          const bx = new Float32Array(count * xw);
          const by = new Float32Array(count * outputUnits);
          for (let k = 0; k < count; k += 1) {
            const i = order === undefined ? start + k : (order[start + k] as number);
            bx.set(xs.subarray(i * xw, (i + 1) * xw), k * xw);
            by.set(ys.subarray(i * outputUnits, (i + 1) * outputUnits), k * outputUnits);
          }
          yield toBatch({ xs: bx, ys: by, count }, source);
        }
      });
    },
  };
}
