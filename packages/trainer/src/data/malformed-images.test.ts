/**
 * A corpus of broken image files in an image folder (issue 10, bad input): each
 * is a DATASET_INVALID naming the file and what is wrong with it, never a crash
 * of the decoder. (Corrupted-PNG garbage is in prepare-images.test.ts.)
 */
import { afterEach, beforeEach, describe, it } from 'vitest';
import { dataFixture, expectDataError, type DataFixture } from './data-fixture.test-support.js';
import { mnistJpeg, mnistPng, writeMnistFolder } from './mnist-folder.test-support.js';

let fx: DataFixture;
beforeEach(async () => {
  fx = await dataFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

/** A good two-class folder plus one broken file `1/<name>`; returns the broken file's URI. */
const folderWith = async (name: string, bytes: Buffer): Promise<[string, string]> => {
  const prefix = fx.uri(`digits_${name.replace(/\W/g, '_')}/`);
  await writeMnistFolder(fx.storage, prefix, [0, 1], 3);
  const bad = `${prefix}1/${name}`;
  await fx.storage.write(bad, bytes);
  return [prefix, bad];
};

describe('malformed image folders', () => {
  it.each([
    ['truncated.png', () => mnistPng(1, 0).subarray(0, 60), 'the image is a corrupted PNG: '],
    ['truncated.jpg', () => mnistJpeg(1, 0).subarray(0, 120), 'the image is a corrupted JPEG: '],
    ['empty.png', () => Buffer.alloc(0), 'the image is neither a PNG nor a JPEG image'],
    ['text.jpg', () => Buffer.from('not a JPEG\n'), 'the image is neither a PNG nor a JPEG image'],
    // The signature wins over the name: a bare PNG signature named .jpg is a corrupted PNG.
    ['signature.jpg', () => Buffer.from('\x89PNG\r\n\x1a\n', 'binary'), 'a corrupted PNG: '],
  ])('%s is refused, naming the file and the problem', async (name, bytes, problem) => {
    const [prefix, bad] = await folderWith(name, bytes());
    await expectDataError(fx.prepare({ trainingData: prefix, task: 'classification' }), [
      `Dataset ${bad} is invalid: `,
      problem,
    ]);
  });
});
