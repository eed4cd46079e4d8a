import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Progress } from './types.js';
import type { ConformanceContext } from './conformance-fixture.test-support.js';
import { seededChunks, sha256 } from './conformance-fixture.test-support.js';

const KIB = 1024;
const MIB = 1024 * KIB;

const expectMonotonicProgress = (events: readonly Progress[], bytes: number, total?: number) => {
  expect(events.length).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.bytes).toBeGreaterThan(events[i - 1]!.bytes);
  }
  expect(events.at(-1)).toEqual(total === undefined ? { bytes } : { bytes, total });
};

/** Streams, progress, large objects, concurrency, cancellation. */
export const transferConformance = (ctx: ConformanceContext): void => {
  describe('transfers', () => {
    it('writes from a Readable and from an async iterable', async () => {
      const base = ctx.freshPrefix();
      await ctx
        .storage()
        .writeStream(`${base}r`, Readable.from([Buffer.from('ab'), Buffer.from('cd')]));
      async function* parts() {
        yield new TextEncoder().encode('ef');
        yield new TextEncoder().encode('gh');
      }
      const stat = await ctx
        .storage()
        .writeStream(`${base}i`, parts(), { contentType: 'text/plain' });
      expect(stat.size).toBe(4);
      expect((await ctx.storage().read(`${base}r`)).toString()).toBe('abcd');
      expect((await ctx.storage().read(`${base}i`)).toString()).toBe('efgh');
    });

    it('reports progress for writes and reads, ending at the byte count', async () => {
      const uri = `${ctx.freshPrefix()}progress.bin`;
      const data = Buffer.concat([...seededChunks(7, 300 * KIB)]);
      const writes: Progress[] = [];
      await ctx.storage().write(uri, data, { onProgress: (p) => writes.push(p) });
      expectMonotonicProgress(writes, data.length, data.length);
      const streamed: Progress[] = [];
      await ctx.storage().writeStream(uri, Readable.from(seededChunks(7, 300 * KIB, 16 * KIB)), {
        onProgress: (p) => streamed.push(p),
      });
      expectMonotonicProgress(streamed, data.length);
      const reads: Progress[] = [];
      // Buffer.equals: vitest's toEqual walks 300 K elements one by one.
      const back = await ctx.storage().read(uri, { onProgress: (p) => reads.push(p) });
      expect(back.equals(data)).toBe(true);
      expectMonotonicProgress(reads, data.length, data.length);
      const ranged: Progress[] = [];
      await ctx.storage().read(uri, { start: 1000, onProgress: (p) => ranged.push(p) });
      expect(ranged.at(-1)).toEqual({ bytes: data.length - 1000, total: data.length - 1000 });
    });

    it(
      'streams a 50 MB object both ways with a matching sha256',
      { timeout: 180_000 },
      async () => {
        const uri = `${ctx.freshPrefix()}large/50mb.bin`;
        const size = 50 * MIB;
        const expected = await sha256(seededChunks(50, size));
        let lastProgress: Progress | undefined;
        const written = await ctx
          .storage()
          .writeStream(uri, Readable.from(seededChunks(50, size)), {
            onProgress: (p) => (lastProgress = p),
          });
        expect(written.size).toBe(size);
        expect(lastProgress).toEqual({ bytes: size });
        expect((await ctx.storage().stat(uri)).size).toBe(size);
        expect(await sha256(ctx.storage().createReadStream(uri))).toBe(expected);
      },
    );

    it(
      "leaves exactly one writer's full content after concurrent writes",
      { timeout: 120_000 },
      async () => {
        const uri = `${ctx.freshPrefix()}contended.bin`;
        const sizes = [256, 300, 420, 512, 640, 777].map((k) => k * KIB);
        const hashes = await Promise.all(sizes.map((size, i) => sha256(seededChunks(i + 1, size))));
        const initial = await ctx.storage().write(uri, 'initial');
        const allowed = new Set([...hashes, await sha256([Buffer.from('initial')])]);
        let writing = true;
        const observed: string[] = [];
        const reader = (async () => {
          while (writing) observed.push(await sha256(ctx.storage().createReadStream(uri)));
        })();
        const results = await Promise.all(
          sizes.map((size, i) =>
            ctx.storage().writeStream(uri, Readable.from(seededChunks(i + 1, size, 32 * KIB))),
          ),
        );
        writing = false;
        await reader;
        expect(results.map((r) => r.size)).toEqual(sizes);
        expect(new Set(results.map((r) => r.generation)).size).toBe(sizes.length);
        const final = await ctx.storage().stat(uri);
        expect(final.generation).not.toBe(initial.generation);
        const finalHash = await sha256(ctx.storage().createReadStream(uri));
        expect(hashes).toContain(finalHash);
        expect(final.size).toBe(sizes[hashes.indexOf(finalHash)]);
        expect(observed.length).toBeGreaterThan(0);
        for (const hash of observed) expect(allowed.has(hash)).toBe(true);
      },
    );

    it('leaves the previous object intact when a write is aborted', async () => {
      const uri = `${ctx.freshPrefix()}aborted.txt`;
      await ctx.storage().write(uri, 'original');
      const controller = new AbortController();
      async function* endless() {
        for (let i = 0; ; i++) {
          if (i === 8) controller.abort();
          yield Buffer.alloc(64 * KIB, i);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      }
      const error: unknown = await ctx
        .storage()
        .writeStream(uri, endless(), { signal: controller.signal })
        .catch((caught: unknown) => caught);
      expect((error as Error).name).toBe('AbortError');
      expect((await ctx.storage().read(uri)).toString()).toBe('original');
    });
  });
};
