import pngjs from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeImage, ImageDecodeError, writeImageInput } from './image-decode.js';

function png(width: number, height: number, rgba: number[]): Buffer {
  const image = new pngjs.PNG({ width, height });
  Buffer.from(rgba).copy(image.data);
  return pngjs.PNG.sync.write(image);
}

describe('decodeImage and writeImageInput', () => {
  it('composites alpha over black and weighs grayscale by luma', () => {
    const image = decodeImage(png(2, 1, [255, 0, 0, 255, 200, 200, 200, 0]));
    const out = new Float32Array(2);
    writeImageInput(image, { height: 1, width: 2, channels: 1 }, out, 0);
    expect(out[0]).toBeCloseTo(0.299, 5);
    expect(out[1]).toBe(0);
  });

  it('upsamples bilinearly with half-pixel centres, clamping at the edges', () => {
    const image = decodeImage(png(2, 1, [0, 0, 0, 255, 255, 255, 255, 255]));
    const out = new Float32Array(4);
    writeImageInput(image, { height: 1, width: 4, channels: 1 }, out, 0);
    expect([...out]).toEqual([0, 0.25, 0.75, 1]);
  });

  it('refuses unknown formats and images too large to decode, before decoding', () => {
    expect(() => decodeImage(Buffer.from('GIF89a'))).toThrow(
      new ImageDecodeError('is neither a PNG nor a JPEG image (unrecognised signature)'),
    );
    const huge = png(1, 1, [0, 0, 0, 255]);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    expect(() => decodeImage(huge)).toThrow('is 100000x100000 pixels; images must be non-empty');
  });
});
