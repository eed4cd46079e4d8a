import { addAbortSignal } from 'node:stream';
import type { Readable } from 'node:stream';
import type { Progress, TransferOptions } from './types.js';

/** Chunks of bytes (strings are UTF-8), from a stream, generator or array. */
export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** Progress is reported at most once per this many bytes, plus once at the end. */
export const PROGRESS_INTERVAL_BYTES = 64 * 1024;

export interface ProgressCounter {
  readonly onProgress?: ((progress: Progress) => void) | undefined;
  /** Read lazily, so a total learnt mid-transfer (e.g. from response headers) is reported. */
  readonly total?: () => number | undefined;
}

const toBuffer = (chunk: Uint8Array | string): Buffer =>
  typeof chunk === 'string'
    ? Buffer.from(chunk, 'utf8')
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/** Pass chunks through as Buffers, reporting bytes moved (throttled) and a final total. */
export async function* countProgress(
  source: ByteSource,
  counter: ProgressCounter = {},
): AsyncGenerator<Buffer> {
  const { onProgress } = counter;
  let bytes = 0;
  let reported = 0;
  const report = (): void => {
    reported = bytes;
    const total = counter.total?.();
    onProgress?.(total === undefined ? { bytes } : { bytes, total });
  };
  for await (const chunk of source) {
    const buffer = toBuffer(chunk);
    bytes += buffer.byteLength;
    if (onProgress !== undefined && bytes - reported >= PROGRESS_INTERVAL_BYTES) report();
    yield buffer;
  }
  if (onProgress !== undefined && (bytes !== reported || bytes === 0)) report();
}

/** Slice a whole payload into progress-sized chunks so buffer writes report progress too. */
export function* sliceIntoChunks(data: Uint8Array | string): Generator<Buffer> {
  const buffer = toBuffer(data);
  if (buffer.byteLength === 0) {
    yield buffer;
    return;
  }
  for (let offset = 0; offset < buffer.byteLength; offset += PROGRESS_INTERVAL_BYTES) {
    yield buffer.subarray(offset, offset + PROGRESS_INTERVAL_BYTES);
  }
}

/** Drain a stream (or any async iterable of bytes) into one Buffer. */
export const collectBytes = async (source: ByteSource): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const chunk of source) chunks.push(toBuffer(chunk));
  return Buffer.concat(chunks);
};

/**
 * The bytes of a download, counted and cancellable through `options.signal`;
 * `undefined` stands for "nothing to read" (an empty range) and still reports
 * a final `{bytes: 0}`.
 */
export const transferWithProgress = (
  stream: Readable | undefined,
  options: TransferOptions,
  total: () => number | undefined,
): AsyncGenerator<Buffer> => {
  if (stream !== undefined && options.signal !== undefined) {
    addAbortSignal(options.signal, stream);
  }
  return countProgress(stream ?? [], { onProgress: options.onProgress, total });
};
