import { open, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { parseMetricLine, type HypertuneMetric } from '@stratus/hypertune';

/** How much of the file one poll reads at most; the next poll continues. */
const READ_CHUNK = 1024 * 1024;
/** A "line" longer than this without a newline is garbage, not a metric being written. */
const MAX_PENDING = 64 * 1024;
/** Bytes compared to notice a writer that rewrites the file (as Python cloudml-hypertune does). */
const HEAD_BYTES = 256;

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * Follows a hypertune metrics file while the trainer runs, handing each new metric to
 * `onMetric` once. The file is read incrementally from the last offset; if it shrinks or its
 * first bytes change (a writer that rewrites the whole file, as @stratus/hypertune and Python
 * cloudml-hypertune do once it holds 100 records), it is read again from the start and only
 * metrics not yet seen are passed on: newer than the last one, or as new with one not seen.
 */
export class MetricsTail {
  private offset = 0;
  private pending = '';
  private head: Buffer = Buffer.alloc(0);
  private decoder = new StringDecoder('utf8');
  private lastTimestamp = Number.NEGATIVE_INFINITY;
  /** Metrics passed on with `lastTimestamp` (several may share one: a fast loop, a fixed clock). */
  private seenAtLast = new Set<string>();
  private skipUntilNewer = false;
  private polling: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  /** Complete lines that were not metric records. */
  invalidLines = 0;

  constructor(
    private readonly file: string,
    private readonly onMetric: (metric: HypertuneMetric) => void,
  ) {}

  /** Polls every `intervalMs` until `stop`. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      // A failed poll is retried by the next one; the final poll in stop() reports errors.
      this.polling = this.polling.then(() => this.poll()).catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  /** Stops polling and reads whatever is left in the file. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    await this.poll();
    // The trainer has exited: a last line without its newline is as complete as it will get.
    const last = this.pending + this.decoder.end();
    this.pending = '';
    if (last.trim() !== '') this.consume(`${last}\n`);
  }

  /** Reads what was appended since the last poll. Never throws: a missing file is no metrics yet. */
  async poll(): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return;
    }
    try {
      const { size } = await handle.stat();
      if (this.head.length > 0) {
        const current = await readAt(handle, 0, this.head.length);
        if (size < this.offset || !current.equals(this.head)) this.restart();
      }
      while (this.offset < size) {
        const chunk = await readAt(handle, this.offset, Math.min(READ_CHUNK, size - this.offset));
        if (chunk.length === 0) break;
        this.offset += chunk.length;
        this.consume(this.decoder.write(chunk));
      }
      if (this.head.length < HEAD_BYTES && this.offset > this.head.length) {
        this.head = await readAt(handle, 0, Math.min(HEAD_BYTES, this.offset));
      }
    } finally {
      await handle.close();
    }
  }

  private restart(): void {
    this.offset = 0;
    this.pending = '';
    this.head = Buffer.alloc(0);
    this.decoder = new StringDecoder('utf8');
    this.skipUntilNewer = true;
  }

  private consume(text: string): void {
    const lines = (this.pending + text).split('\n');
    this.pending = lines.pop() ?? '';
    if (this.pending.length > MAX_PENDING) {
      this.pending = '';
      this.invalidLines += 1;
    }
    for (const line of lines) {
      if (line.trim() === '') continue;
      const metrics = parseMetricLine(line);
      if (metrics === undefined) {
        this.invalidLines += 1;
        continue;
      }
      for (const metric of metrics) this.accept(metric);
    }
  }

  private accept(metric: HypertuneMetric): void {
    const key = `${metric.tag}\u0000${metric.value}\u0000${metric.step}\u0000${metric.checkpointPath}`;
    if (this.skipUntilNewer) {
      if (metric.timestamp < this.lastTimestamp) return;
      if (metric.timestamp === this.lastTimestamp && this.seenAtLast.has(key)) return;
    }
    this.skipUntilNewer = false;
    if (metric.timestamp > this.lastTimestamp) {
      this.lastTimestamp = metric.timestamp;
      this.seenAtLast.clear();
    }
    if (metric.timestamp === this.lastTimestamp) this.seenAtLast.add(key);
    this.onMetric(metric);
  }
}
