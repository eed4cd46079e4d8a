import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InMemorySplit } from './data-split.js';
import { dataFixture, expectDataError, type DataFixture } from './data-fixture.test-support.js';
import { featurize } from '@stratus/bundle';

const HEADER = 'id,city,"temp, °C",note,label';
const TRAIN = [
  HEADER,
  '1,Paris,10,"plain",yes',
  '2,"Lyon",NA,"has ""quotes""",no',
  '3,Paris,20,"multi\r\nline",yes',
  '4,Nice,,x,no',
  '5,Paris,null,y,yes',
  '6,Lyon,30,z,no',
  '7,,40,"a, b",yes',
  '8,Paris,N/A,w,',
  '9,Lyon,NaN,v,no',
].join('\r\n');
const VALIDATION = [HEADER, '10,Marseille,25,q,yes', '11,Paris,"",r,maybe', '12,Lyon,35,s,no'].join(
  '\n',
);

const TEMP_STD = Math.sqrt(125);
const xsOf = (split: unknown): number[] => [...(split as InMemorySplit).xs];

let fx: DataFixture;
beforeEach(async () => {
  fx = await dataFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('a CSV with quoted fields, embedded newlines, missing values and a categorical column', () => {
  const prepare = async (featureColumns?: string[]) =>
    fx.prepare({
      trainingData: await fx.put('messy/train.csv', TRAIN),
      validationData: await fx.put('messy/valid.csv', VALIDATION),
      labelColumn: 'label',
      task: 'classification',
      ...(featureColumns === undefined ? {} : { featureColumns }),
    });

  it('imputes and flags missing values, one-hots with OOV and missing slots, drops unlabelled rows', async () => {
    const data = await prepare(['city', 'temp, °C']);
    expect(data.preprocessing).toEqual({
      version: 1,
      features: [
        {
          kind: 'categorical',
          name: 'city',
          vocabulary: ['Lyon', 'Paris', 'Nice'],
          oov: 3,
          missing: 4,
        },
        { kind: 'numeric', name: 'temp, °C', mean: 25, std: TEMP_STD, hasMissing: true },
      ],
      label: { kind: 'classification', name: 'label', classes: ['no', 'yes'] },
      inputShape: [7],
    });
    expect(data.trainRows).toBe(8);
    expect(data.validationRows).toBe(2);
    expect(data.droppedRows).toEqual({ missingLabel: 1, unknownLabel: 1 });
    const z = (t: number): number => Math.fround((t - 25) / TEMP_STD);
    const f = Math.fround;
    expect(xsOf(data.train).slice(0, 21)).toEqual([
      ...[0, 1, 0, 0, 0, z(10), 0],
      ...[1, 0, 0, 0, 0, 0, 1],
      ...[0, 1, 0, 0, 0, z(20), 0],
    ]);
    // Row 7 has no city: the missing slot.
    expect(xsOf(data.train).slice(6 * 7, 7 * 7)).toEqual([0, 0, 0, 0, 1, f(z(40)), 0]);
    expect([...(data.train as InMemorySplit).ys.subarray(0, 4)]).toEqual([0, 1, 1, 0]);
    // Marseille is out of vocabulary; the "maybe" row is dropped.
    expect(xsOf(data.validation)).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, z(35), 0]);
  });

  it('infers every column when featureColumns is absent, keeping quotes and newlines in values', async () => {
    const data = await prepare();
    const kinds = data.preprocessing.features.map((x) => [x.name, x.kind]);
    expect(kinds).toEqual([
      ['id', 'numeric'],
      ['city', 'categorical'],
      ['temp, °C', 'numeric'],
      ['note', 'categorical'],
    ]);
    const note = data.preprocessing.features[3];
    if (note?.kind !== 'categorical') throw new Error('categorical expected');
    expect(note.vocabulary).toEqual([
      'a, b',
      'has "quotes"',
      'multi\r\nline',
      'plain',
      'v',
      'x',
      'y',
      'z',
    ]);
    expect(data.inputShape).toEqual([1 + 5 + 2 + 10]);
  });

  it('featurizes raw instances exactly as training rows, also after a JSON round trip', async () => {
    const data = await prepare(['city', 'temp, °C']);
    const stored = JSON.parse(JSON.stringify(data.preprocessing)) as typeof data.preprocessing;
    const z20 = Math.fround(-5 / TEMP_STD);
    for (const pre of [data.preprocessing, stored]) {
      expect([...featurize(pre, { city: 'Nice', 'temp, °C': '20' })]).toEqual([
        0,
        0,
        1,
        0,
        0,
        z20,
        0,
      ]);
      expect([...featurize(pre, { city: ' Nice ', 'temp, °C': 20 })]).toEqual([
        0,
        0,
        1,
        0,
        0,
        z20,
        0,
      ]);
      expect([...featurize(pre, {})]).toEqual([0, 0, 0, 0, 1, 0, 1]);
      expect([...featurize(pre, { city: 'Oslo', 'temp, °C': 'NA' })]).toEqual([
        0, 0, 0, 1, 0, 0, 1,
      ]);
    }
    expect([...featurize(data.preprocessing, { city: 'Paris', 'temp, °C': 10 })]).toEqual(
      xsOf(data.train).slice(0, 7),
    );
    await expectDataError(
      Promise.resolve().then(() =>
        featurize(data.preprocessing, { city: 'Paris', 'temp, °C': 'hot' }),
      ),
      ['feature "temp, °C" expects a number, got "hot"'],
      'INVALID_PREDICT_REQUEST',
    );
    await expectDataError(
      Promise.resolve().then(() => featurize(data.preprocessing, { city: ['Paris'] })),
      ['feature "city" expects a string or number, got an array'],
      'INVALID_PREDICT_REQUEST',
    );
  });
});

describe('JSON Lines', () => {
  it('reads one object per line, columns appearing late counted missing before', async () => {
    const text = [
      '{"x": 1, "color": "red", "y": "a"}',
      '',
      '{"x": 2, "color": "blue", "y": "b"}',
      '{"x": null, "color": "red", "y": "a", "extra": 5}',
      '{"x": 4, "y": "b"}',
      '{"x": 5, "color": "green"}',
    ].join('\n');
    const uri = await fx.put('j/data.ndjson', text);
    const data = await fx.prepare({
      trainingData: uri,
      labelColumn: 'y',
      task: 'classification',
      validationSplit: 0,
    });
    expect(data.format).toBe('jsonl');
    expect(data.preprocessing.features).toEqual([
      { kind: 'numeric', name: 'x', mean: 7 / 3, std: Math.sqrt(14 / 9), hasMissing: true },
      { kind: 'categorical', name: 'color', vocabulary: ['red', 'blue'], oov: 2, missing: 3 },
      { kind: 'numeric', name: 'extra', mean: 5, std: 1, hasMissing: true },
    ]);
    expect(data.trainRows).toBe(4);
    expect(data.droppedRows.missingLabel).toBe(1);
    expect(data.validation).toBeUndefined();
    const xs = xsOf(data.train);
    const zx = Math.fround((4 - 7 / 3) / Math.sqrt(14 / 9));
    // Width 8: x, x_missing, color=red, color=blue, OOV, missing, extra, extra_missing.
    expect(xs.slice(16, 32)).toEqual([0, 1, 1, 0, 0, 0, 0, 0, zx, 0, 0, 0, 0, 1, 0, 1]);
  });

  it('detects JSON Lines from the content when the name has no known extension', async () => {
    const uri = await fx.put('j/data.txt', '{"a": 1, "b": "p"}\n{"a": 2, "b": "q"}\n');
    const data = await fx.prepare({
      trainingData: uri,
      labelColumn: 'b',
      task: 'classification',
      validationSplit: 0,
    });
    expect(data.format).toBe('jsonl');
    expect(xsOf(data.train)).toEqual([-1, 1]);
  });

  it('refuses a nested value, naming the column and line', async () => {
    const uri = await fx.put(
      'j/nested.jsonl',
      '{"a": 1, "b": "p"}\n\n{"a": {"deep": 1}, "b": "q"}\n',
    );
    await expectDataError(
      fx.prepare({
        trainingData: uri,
        labelColumn: 'b',
        task: 'classification',
        validationSplit: 0,
      }),
      [uri, 'column "a" holds a nested object or array at row 2 (line 3)'],
    );
  });
});
