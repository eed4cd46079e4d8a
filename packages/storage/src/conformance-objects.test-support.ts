import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './conformance-fixture.test-support.js';
import { expectStratusError } from './conformance-fixture.test-support.js';

const bytes = (length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => i % 256));

/** Whole-object reads and writes, metadata, ranges, delete, copy, errors. */
export const objectConformance = (ctx: ConformanceContext): void => {
  describe('objects', () => {
    it('writes then reads the same bytes, with a stat that matches the write', async () => {
      const uri = `${ctx.freshPrefix()}data/blob.bin`;
      const data = bytes(1000);
      const written = await ctx.storage().write(uri, data);
      expect(written).toMatchObject({ uri, bucket: ctx.bucket, size: 1000 });
      expect(written.name).toBe(uri.slice(`gs://${ctx.bucket}/`.length));
      expect(written.updated).toBeInstanceOf(Date);
      expect(Math.abs(written.updated.getTime() - Date.now())).toBeLessThan(60_000);
      expect(await ctx.storage().read(uri)).toEqual(data);
      const stat = await ctx.storage().stat(uri);
      expect(stat).toMatchObject({ uri, size: 1000, etag: written.etag });
      expect(stat.generation).toBe(written.generation);
    });

    it('writes strings as UTF-8 and stores empty objects', async () => {
      const base = ctx.freshPrefix();
      expect((await ctx.storage().write(`${base}text`, 'héllo ✓')).size).toBe(10);
      expect((await ctx.storage().read(`${base}text`)).toString('utf8')).toBe('héllo ✓');
      expect((await ctx.storage().write(`${base}empty`, Buffer.alloc(0))).size).toBe(0);
      expect((await ctx.storage().read(`${base}empty`)).length).toBe(0);
      expect((await ctx.storage().stat(`${base}empty`)).size).toBe(0);
    });

    it('changes etag and generation on every write, even of the same bytes', async () => {
      const uri = `${ctx.freshPrefix()}versioned`;
      const stats = [];
      for (let i = 0; i < 3; i++) stats.push(await ctx.storage().write(uri, 'same'));
      expect(new Set(stats.map((s) => s.etag)).size).toBe(3);
      const generations = stats.map((s) => BigInt(s.generation));
      expect(generations[0]! < generations[1]! && generations[1]! < generations[2]!).toBe(true);
      expect((await ctx.storage().stat(uri)).etag).toBe(stats[2]!.etag);
    });

    it('reports OBJECT_NOT_FOUND naming the URI for a missing object', async () => {
      const uri = `${ctx.freshPrefix()}missing.txt`;
      const storage = ctx.storage();
      await expectStratusError(storage.read(uri), 'OBJECT_NOT_FOUND', uri);
      await expectStratusError(storage.stat(uri), 'OBJECT_NOT_FOUND', uri);
      await expectStratusError(storage.delete(uri), 'OBJECT_NOT_FOUND', uri);
      await expectStratusError(storage.copy(uri, `${uri}.copy`), 'OBJECT_NOT_FOUND', uri);
      const stream = storage.createReadStream(uri);
      await expectStratusError(stream.toArray(), 'OBJECT_NOT_FOUND', uri);
      expect(await storage.exists(uri)).toBe(false);
      expect(await storage.exists(`${uri}.copy`)).toBe(false);
    });

    it('treats an object in a bucket that does not exist as not found', async () => {
      const uri = `gs://${ctx.bucket}-absent/some/object`;
      await expectStratusError(ctx.storage().read(uri), 'OBJECT_NOT_FOUND', uri);
      await expectStratusError(ctx.storage().stat(uri), 'OBJECT_NOT_FOUND', uri);
      expect(await ctx.storage().exists(uri)).toBe(false);
    });

    it('deletes an object so it no longer exists or lists', async () => {
      const base = ctx.freshPrefix();
      await ctx.storage().write(`${base}keep`, 'k');
      await ctx.storage().write(`${base}dir/gone`, 'g');
      expect(await ctx.storage().exists(`${base}dir/gone`)).toBe(true);
      await ctx.storage().delete(`${base}dir/gone`);
      expect(await ctx.storage().exists(`${base}dir/gone`)).toBe(false);
      await expectStratusError(
        ctx.storage().read(`${base}dir/gone`),
        'OBJECT_NOT_FOUND',
        'dir/gone',
      );
      const page = await ctx.storage().list(base, { delimiter: '/' });
      expect(page.objects.map((o) => o.uri)).toEqual([`${base}keep`]);
      expect(page.prefixes).toEqual([]);
    });

    it('copies an object, replacing the destination and leaving the source', async () => {
      const base = ctx.freshPrefix();
      const source = await ctx.storage().write(`${base}src.txt`, 'copy me');
      const old = await ctx.storage().write(`${base}out/dst.txt`, 'old content');
      const copied = await ctx.storage().copy(`${base}src.txt`, `${base}out/dst.txt`);
      expect(copied).toMatchObject({ uri: `${base}out/dst.txt`, size: 7 });
      expect(copied.etag).not.toBe(old.etag);
      expect(copied.generation).not.toBe(old.generation);
      expect((await ctx.storage().read(`${base}out/dst.txt`)).toString()).toBe('copy me');
      expect((await ctx.storage().stat(`${base}src.txt`)).etag).toBe(source.etag);
    });

    it('round-trips names that need escaping in URLs and paths', async () => {
      const base = ctx.freshPrefix();
      const names = ['dir with space/ü ñ ✓.txt', 'a+b=c&d#e?f', '100%.csv', 'q\'u"o;te', '[x]{y}'];
      for (const [i, name] of names.entries()) await ctx.storage().write(`${base}${name}`, `n${i}`);
      for (const [i, name] of names.entries()) {
        expect((await ctx.storage().read(`${base}${name}`)).toString()).toBe(`n${i}`);
      }
      const listed = [];
      for await (const object of ctx.storage().listAll(base)) listed.push(object.uri);
      expect(listed.sort()).toEqual(names.map((name) => `${base}${name}`).sort());
    });

    it('rejects a malformed URI in every method before any I/O', async () => {
      const storage = ctx.storage();
      const bad = `gs://${ctx.bucket}/a/../b`;
      const good = `${ctx.freshPrefix()}ok`;
      const detail = 'must not contain ".." path segments';
      await expectStratusError(storage.read(bad), 'INVALID_STORAGE_URI', detail);
      await expectStratusError(storage.write(bad, 'x'), 'INVALID_STORAGE_URI', detail);
      await expectStratusError(
        storage.writeStream(bad, [Buffer.from('x')]),
        'INVALID_STORAGE_URI',
        detail,
      );
      await expectStratusError(storage.stat(bad), 'INVALID_STORAGE_URI', detail);
      await expectStratusError(storage.exists(bad), 'INVALID_STORAGE_URI', detail);
      await expectStratusError(storage.delete(bad), 'INVALID_STORAGE_URI', detail);
      await expectStratusError(storage.copy(good, bad), 'INVALID_STORAGE_URI', detail);
      await expectStratusError(storage.copy(bad, good), 'INVALID_STORAGE_URI', detail);
      await expectStratusError(storage.list(`${bad}/`), 'INVALID_STORAGE_URI', detail);
      expect(() => storage.createReadStream(bad)).toThrow(detail);
      expect(() => storage.listAll(`gs://Bad_Bucket/`)).toThrow('lowercase');
      expect(await storage.exists(good)).toBe(false);
    });

    it('reads byte ranges, clamped to the object', async () => {
      const uri = `${ctx.freshPrefix()}ranged.bin`;
      const data = bytes(256);
      await ctx.storage().write(uri, data);
      const read = (start?: number, end?: number) =>
        ctx.storage().read(uri, {
          ...(start === undefined ? {} : { start }),
          ...(end === undefined ? {} : { end }),
        });
      expect(await read(10, 19)).toEqual(data.subarray(10, 20));
      expect(await read(250)).toEqual(data.subarray(250));
      expect(await read(undefined, 4)).toEqual(data.subarray(0, 5));
      expect(await read(200, 999)).toEqual(data.subarray(200));
      expect(await read(255, 255)).toEqual(data.subarray(255));
      expect((await read(256)).length).toBe(0);
      expect((await read(1000, 2000)).length).toBe(0);
      const streamed = await ctx
        .storage()
        .createReadStream(uri, { start: 100, end: 103 })
        .toArray();
      expect(Buffer.concat(streamed)).toEqual(data.subarray(100, 104));
    });

    it('rejects invalid ranges naming the option', async () => {
      const uri = `${ctx.freshPrefix()}r`;
      await expectStratusError(
        ctx.storage().read(uri, { start: 5, end: 2 }),
        'INVALID_ARGUMENT',
        '"end" (2) must not be before "start" (5)',
      );
      await expectStratusError(
        ctx.storage().read(uri, { start: -1 }),
        'INVALID_ARGUMENT',
        '"start" must be a non-negative integer',
      );
      expect(() => ctx.storage().createReadStream(uri, { end: 1.5 })).toThrow(
        '"end" must be a non-negative integer',
      );
    });
  });
};
