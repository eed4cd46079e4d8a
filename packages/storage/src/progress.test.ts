import { describe, expect, it } from 'vitest';
import type { Progress } from './types.js';
import {
  PROGRESS_INTERVAL_BYTES,
  collectBytes,
  countProgress,
  sliceIntoChunks,
} from './progress.js';
import { clampRange, requestedRange } from './byte-range.js';

describe('countProgress', () => {
  it('reports at most every 64 KiB and once at the end, with the total', async () => {
    const events: Progress[] = [];
    const chunks = Array.from({ length: 10 }, () => Buffer.alloc(16 * 1024));
    const out = await collectBytes(
      countProgress(chunks, { onProgress: (p) => events.push(p), total: () => 160 * 1024 }),
    );
    expect(out.length).toBe(160 * 1024);
    expect(events).toEqual([
      { bytes: 64 * 1024, total: 160 * 1024 },
      { bytes: 128 * 1024, total: 160 * 1024 },
      { bytes: 160 * 1024, total: 160 * 1024 },
    ]);
  });

  it('reports an empty transfer once and accepts strings', async () => {
    const events: Progress[] = [];
    await collectBytes(countProgress([], { onProgress: (p) => events.push(p) }));
    expect(events).toEqual([{ bytes: 0 }]);
    expect((await collectBytes(countProgress(['ü']))).length).toBe(2);
  });
});

describe('sliceIntoChunks', () => {
  it('cuts a payload into progress-sized chunks', () => {
    const sizes = [...sliceIntoChunks(Buffer.alloc(PROGRESS_INTERVAL_BYTES * 2 + 5))].map(
      (c) => c.length,
    );
    expect(sizes).toEqual([PROGRESS_INTERVAL_BYTES, PROGRESS_INTERVAL_BYTES, 5]);
    expect([...sliceIntoChunks('')].map((c) => c.length)).toEqual([0]);
  });
});

describe('byte ranges', () => {
  it('clamps to the object and yields nothing past its end', () => {
    expect(clampRange(requestedRange({ start: 2, end: 100 }), 10)).toEqual({
      start: 2,
      end: 9,
      length: 8,
    });
    expect(clampRange(requestedRange({ end: 3 }), 10)).toEqual({ start: 0, end: 3, length: 4 });
    expect(clampRange(requestedRange({ start: 10 }), 10)).toBeUndefined();
    expect(clampRange(requestedRange(), 0)).toBeUndefined();
    expect(requestedRange().ranged).toBe(false);
  });
});
