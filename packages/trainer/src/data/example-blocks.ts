import { mulberry32 } from '../training/seeded-random.js';

/** `count` featurized examples: inputs `xs` (count × xWidth) and targets `ys` (count × yWidth), row-major. */
export interface ExampleBlock {
  readonly xs: Float32Array;
  readonly ys: Float32Array;
  readonly count: number;
}

/** Widths of one example's input and target. */
export interface ExampleWidths {
  readonly x: number;
  readonly y: number;
}

export interface RebatchOptions {
  readonly batchSize: number;
  /** Shuffle through a buffer of this many examples (0: keep file order). */
  readonly shuffleBuffer: number;
  /** Seed of this pass's shuffle. */
  readonly seed: number;
}

/**
 * Regroup a stream of blocks into batches of exactly `batchSize` (the last
 * may be smaller). With a shuffle buffer, each example waits in a fixed-size
 * buffer and a random one leaves as each new one arrives, so memory stays
 * bounded however long the stream is. Each batch owns fresh arrays, because
 * tfjs keeps (does not copy) the array a tensor is made from.
 */
export async function* rebatch(
  blocks: AsyncIterable<ExampleBlock>,
  widths: ExampleWidths,
  options: RebatchOptions,
): AsyncGenerator<ExampleBlock> {
  const { x: xw, y: yw } = widths;
  const size = Math.max(1, Math.floor(options.batchSize));
  let xs = new Float32Array(size * xw);
  let ys = new Float32Array(size * yw);
  let filled = 0;
  const take = (sx: Float32Array, sy: Float32Array, at: number): ExampleBlock | undefined => {
    xs.set(sx.subarray(at * xw, (at + 1) * xw), filled * xw);
    ys.set(sy.subarray(at * yw, (at + 1) * yw), filled * yw);
    filled += 1;
    if (filled < size) return undefined;
    const batch = { xs, ys, count: size };
    xs = new Float32Array(size * xw);
    ys = new Float32Array(size * yw);
    filled = 0;
    return batch;
  };

  const capacity = Math.max(0, Math.floor(options.shuffleBuffer));
  if (capacity <= 1) {
    for await (const block of blocks) {
      for (let i = 0; i < block.count; i += 1) {
        const batch = take(block.xs, block.ys, i);
        if (batch !== undefined) yield batch;
      }
    }
  } else {
    const random = mulberry32(options.seed);
    const bufX = new Float32Array(capacity * xw);
    const bufY = new Float32Array(capacity * yw);
    let held = 0;
    for await (const block of blocks) {
      for (let i = 0; i < block.count; i += 1) {
        if (held < capacity) {
          bufX.set(block.xs.subarray(i * xw, (i + 1) * xw), held * xw);
          bufY.set(block.ys.subarray(i * yw, (i + 1) * yw), held * yw);
          held += 1;
          continue;
        }
        const j = Math.floor(random() * capacity);
        const batch = take(bufX, bufY, j);
        bufX.set(block.xs.subarray(i * xw, (i + 1) * xw), j * xw);
        bufY.set(block.ys.subarray(i * yw, (i + 1) * yw), j * yw);
        if (batch !== undefined) yield batch;
      }
    }
    for (const j of shuffledIndices(held, random)) {
      const batch = take(bufX, bufY, j);
      if (batch !== undefined) yield batch;
    }
  }
  if (filled > 0) {
    yield { xs: xs.slice(0, filled * xw), ys: ys.slice(0, filled * yw), count: filled };
  }
}

/** 0..n-1 in a random order (Fisher–Yates). */
export function shuffledIndices(n: number, random: () => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i += 1) order[i] = i;
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}
