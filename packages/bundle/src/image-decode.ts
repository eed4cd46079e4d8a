import pngjs from 'pngjs';
import jpeg from 'jpeg-js';

/** 8-bit RGBA pixels, row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Refuse images that would take gigabytes to decode (a decompression bomb or a mistake). */
export const MAX_IMAGE_PIXELS = 40_000_000;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const isPng = (bytes: Uint8Array): boolean => PNG_SIGNATURE.every((b, i) => bytes[i] === b);
const isJpeg = (bytes: Uint8Array): boolean =>
  bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;

/** Thrown when bytes are not a decodable PNG or JPEG; the message says why, callers say which file. */
export class ImageDecodeError extends Error {}

/** Decode PNG or JPEG bytes (sniffed from the content, not the name) to RGBA. */
export function decodeImage(bytes: Uint8Array): RgbaImage {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isPng(buffer)) return decodePng(buffer);
  if (isJpeg(buffer)) return decodeJpeg(buffer);
  throw new ImageDecodeError('is neither a PNG nor a JPEG image (unrecognised signature)');
}

function decodePng(buffer: Buffer): RgbaImage {
  // IHDR is the first chunk: width and height sit at bytes 16..23.
  if (buffer.length >= 24) checkSize(buffer.readUInt32BE(16), buffer.readUInt32BE(20));
  try {
    const png = pngjs.PNG.sync.read(buffer);
    return { width: png.width, height: png.height, data: png.data };
  } catch (error) {
    throw new ImageDecodeError(`is a corrupted PNG: ${reason(error)}`, { cause: error });
  }
}

function decodeJpeg(buffer: Buffer): RgbaImage {
  try {
    const image = jpeg.decode(buffer, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: 1024,
    });
    checkSize(image.width, image.height);
    if (image.data.length !== image.width * image.height * 4) {
      throw new Error(`decoded ${image.data.length} bytes for ${image.width}x${image.height}`);
    }
    return image;
  } catch (error) {
    if (error instanceof ImageDecodeError) throw error;
    throw new ImageDecodeError(`is a corrupted JPEG: ${reason(error)}`, { cause: error });
  }
}

function checkSize(width: number, height: number): void {
  if (width === 0 || height === 0 || width * height > MAX_IMAGE_PIXELS) {
    throw new ImageDecodeError(
      `is ${width}x${height} pixels; images must be non-empty and at most ${MAX_IMAGE_PIXELS} pixels`,
    );
  }
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Target geometry of an image input. */
export interface ImageGeometry {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
}

/**
 * Write `image` as model input at `out[offset..]`: channels converted (alpha
 * composited over black; grayscale by ITU-R 601 luma), resized bilinearly
 * with half-pixel centres to height×width, scaled to [0, 1], HWC order.
 */
export function writeImageInput(
  image: RgbaImage,
  geometry: ImageGeometry,
  out: Float32Array,
  offset: number,
): void {
  const { width: sw, height: sh, data } = image;
  const { width: dw, height: dh, channels } = geometry;
  const plane = toChannels(data, sw * sh, channels);
  const scaleY = sh / dh;
  const scaleX = sw / dw;
  for (let y = 0; y < dh; y += 1) {
    const sy = Math.min(Math.max((y + 0.5) * scaleY - 0.5, 0), sh - 1);
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, sh - 1);
    const wy = sy - y0;
    for (let x = 0; x < dw; x += 1) {
      const sx = Math.min(Math.max((x + 0.5) * scaleX - 0.5, 0), sw - 1);
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, sw - 1);
      const wx = sx - x0;
      const at = offset + (y * dw + x) * channels;
      for (let c = 0; c < channels; c += 1) {
        const p00 = plane[(y0 * sw + x0) * channels + c] ?? 0;
        const p01 = plane[(y0 * sw + x1) * channels + c] ?? 0;
        const p10 = plane[(y1 * sw + x0) * channels + c] ?? 0;
        const p11 = plane[(y1 * sw + x1) * channels + c] ?? 0;
        const top = p00 + (p01 - p00) * wx;
        const bottom = p10 + (p11 - p10) * wx;
        out[at + c] = (top + (bottom - top) * wy) / 255;
      }
    }
  }
}

function toChannels(rgba: Uint8Array, pixels: number, channels: 1 | 3): Float32Array {
  const plane = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p += 1) {
    const i = p * 4;
    const alpha = (rgba[i + 3] ?? 255) / 255;
    const r = (rgba[i] ?? 0) * alpha;
    const g = (rgba[i + 1] ?? 0) * alpha;
    const b = (rgba[i + 2] ?? 0) * alpha;
    if (channels === 1) {
      plane[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    } else {
      plane[p * 3] = r;
      plane[p * 3 + 1] = g;
      plane[p * 3 + 2] = b;
    }
  }
  return plane;
}
