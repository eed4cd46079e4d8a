import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InMemorySplit } from './data-split.js';
import { dataFixture, expectDataError, type DataFixture } from './data-fixture.test-support.js';
import { featurize } from '@stratus/bundle';
import { mnistJpeg, mnistPixels, mnistPng, writeMnistFolder } from './mnist-folder.test-support.js';

let fx: DataFixture;
beforeEach(async () => {
  fx = await dataFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

const memory = (split: unknown): InMemorySplit => split as InMemorySplit;

async function digitsFolder(): Promise<string> {
  const prefix = fx.uri('digits/');
  await writeMnistFolder(fx.storage, prefix, [0, 1, 2], 4);
  await fx.storage.write(`${prefix}2/extra.jpg`, mnistJpeg(2, 10));
  await fx.storage.write(`${prefix}README.txt`, 'not an image');
  await fx.storage.write(`${prefix}1/notes.txt`, 'not an image either');
  return prefix;
}

describe('image folders', () => {
  it('reads PNG and JPEG digits, classes from folder names, pixels scaled to [0, 1]', async () => {
    const prefix = await digitsFolder();
    const data = await fx.prepare({
      trainingData: prefix,
      task: 'classification',
      validationSplit: 0,
    });
    expect(data.format).toBe('images');
    expect(data.preprocessing).toEqual({
      version: 1,
      features: [{ kind: 'image', name: 'image', height: 28, width: 28, channels: 1 }],
      label: { kind: 'classification', name: 'label', classes: ['0', '1', '2'] },
      inputShape: [28, 28, 1],
    });
    expect(data.trainRows).toBe(13);
    const train = memory(data.train);
    expect(train.kind).toBe('memory');
    // URI order: 0/00000..0/00003, 1/..., 2/00000..2/00003, 2/extra.jpg.
    const first = mnistPixels(0, 0);
    const got = [...train.xs.subarray(0, 784)];
    got.forEach((v, i) =>
      expect(Math.abs(v - (first[i] as number))).toBeLessThanOrEqual(0.5 / 255 + 1e-6),
    );
    expect([...train.ys.subarray(0, 3)]).toEqual([1, 0, 0]);
    expect([...train.ys.subarray(12 * 3, 13 * 3)]).toEqual([0, 0, 1]);
    const jpegPixels = train.xs.subarray(12 * 784, 13 * 784);
    const expected = mnistPixels(2, 10);
    const meanError =
      jpegPixels.reduce((sum, v, i) => sum + Math.abs(v - (expected[i] as number)), 0) / 784;
    expect(meanError).toBeLessThan(0.02);

    // A second run reads no image from storage again.
    const reads = [...fx.reads.values()].reduce((a, b) => a + b, 0);
    expect(reads).toBe(13);
    await fx.prepare({
      trainingData: fx.uri('digits'),
      task: 'classification',
      validationSplit: 0,
    });
    expect([...fx.reads.values()].reduce((a, b) => a + b, 0)).toBe(13);
  });

  it('resizes bilinearly and converts to RGB', async () => {
    const prefix = await digitsFolder();
    const data = await fx.prepare({
      trainingData: prefix,
      task: 'classification',
      validationSplit: 0,
      imageSize: [14, 14],
      channels: 3,
    });
    expect(data.inputShape).toEqual([14, 14, 3]);
    const xs = memory(data.train).xs;
    expect(xs.length).toBe(13 * 14 * 14 * 3);
    // Halving with half-pixel centres averages each 2x2 block.
    const bytes = mnistPixels(0, 0).map((v) => Math.round(v * 255));
    for (const [y, x] of [
      [7, 7],
      [5, 9],
      [10, 4],
    ] as const) {
      const block = [
        bytes[2 * y * 28 + 2 * x],
        bytes[2 * y * 28 + 2 * x + 1],
        bytes[(2 * y + 1) * 28 + 2 * x],
        bytes[(2 * y + 1) * 28 + 2 * x + 1],
      ];
      const average = block.reduce<number>((a, b) => a + (b ?? 0), 0) / 4 / 255;
      for (let c = 0; c < 3; c += 1) expect(xs[(y * 14 + x) * 3 + c]).toBeCloseTo(average, 5);
    }
  });

  it('featurizes a base64 PNG or a pixel array exactly as training did', async () => {
    const prefix = await digitsFolder();
    const data = await fx.prepare({
      trainingData: prefix,
      task: 'classification',
      validationSplit: 0,
    });
    const row = [...memory(data.train).xs.subarray(5 * 784, 6 * 784)];
    const png = mnistPng(1, 1);
    expect([...featurize(data.preprocessing, { image: { b64: png.toString('base64') } })]).toEqual(
      row,
    );
    expect([...featurize(data.preprocessing, { image: row })]).toEqual(row);
    await expectDataError(
      Promise.resolve().then(() => featurize(data.preprocessing, { image: [1, 2, 3] })),
      ['feature "image" expects 28x28x1 = 784 pixel values, got 3'],
      'INVALID_PREDICT_REQUEST',
    );
    await expectDataError(
      Promise.resolve().then(() => featurize(data.preprocessing, { image: { b64: 'aGVsbG8=' } })),
      ['feature "image" is neither a PNG nor a JPEG image'],
      'INVALID_PREDICT_REQUEST',
    );
  });

  it('names a corrupted image, and refuses a single class', async () => {
    const prefix = await digitsFolder();
    const bad = `${prefix}1/broken.png`;
    const png = mnistPng(1, 0);
    await fx.storage.write(bad, Buffer.concat([png.subarray(0, 40), Buffer.alloc(60, 0xab)]));
    await expectDataError(fx.prepare({ trainingData: prefix, task: 'classification' }), [
      `Dataset ${bad} is invalid: the image is a corrupted PNG`,
    ]);
    const single = fx.uri('single/');
    await writeMnistFolder(fx.storage, single, [7], 2);
    await expectDataError(fx.prepare({ trainingData: single, task: 'classification' }), [
      'it has only one class folder ("7")',
    ]);
  });

  it('splits by seed and reads a separate validation folder', async () => {
    const prefix = fx.uri('many/');
    await writeMnistFolder(fx.storage, prefix, [3, 8], 20);
    const a = await fx.prepare({
      trainingData: prefix,
      task: 'classification',
      seed: 3,
      validationSplit: 0.25,
    });
    expect(a.trainRows + a.validationRows).toBe(40);
    expect(a.validationRows).toBeGreaterThan(3);
    const b = await fx.prepare({
      trainingData: prefix,
      task: 'classification',
      seed: 3,
      validationSplit: 0.25,
    });
    expect(memory(b.validation).xs).toEqual(memory(a.validation).xs);

    const other = fx.uri('other/');
    await writeMnistFolder(fx.storage, other, [3, 5], 2);
    const c = await fx.prepare({
      trainingData: prefix,
      validationData: other,
      task: 'classification',
    });
    expect(c.trainRows).toBe(40);
    expect(c.validationRows).toBe(2);
    expect(c.droppedRows).toEqual({ missingLabel: 0, unknownLabel: 2 });
  });
});
