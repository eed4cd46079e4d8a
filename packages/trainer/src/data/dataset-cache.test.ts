import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataFixture, type DataFixture } from './data-fixture.test-support.js';

let fx: DataFixture;
beforeEach(async () => {
  fx = await dataFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('DatasetCache', () => {
  it('reads an unchanged object once and a rewritten one again, replacing the old copy', async () => {
    const uri = await fx.put('cache/table.csv', 'a,b\n1,2\n');
    const first = await fx.cache.fetch(fx.storage, uri);
    expect(first.hit).toBe(false);
    expect(await readFile(first.path, 'utf8')).toBe('a,b\n1,2\n');
    const mtime = (await stat(first.path)).mtimeMs;

    const second = await fx.cache.fetch(fx.storage, uri);
    expect(second).toMatchObject({ path: first.path, hit: true });
    expect((await stat(second.path)).mtimeMs).toBe(mtime);
    expect(fx.reads.get(uri)).toBe(1);

    await fx.put('cache/table.csv', 'a,b\n3,4\n');
    const third = await fx.cache.fetch(fx.storage, uri);
    expect(third.hit).toBe(false);
    expect(third.path).not.toBe(first.path);
    expect(third.stat.generation).not.toBe(first.stat.generation);
    expect(await readFile(third.path, 'utf8')).toBe('a,b\n3,4\n');
    expect(fx.reads.get(uri)).toBe(2);
    // The superseded version is gone; nothing half-written is left behind.
    expect(await filesUnder(dirname(third.path))).toEqual([third.path]);
  });

  it('names files by hashes only, keeping the extension, inside the cache directory', async () => {
    const uri = await fx.put('cache/weird name?#%.JPG', 'x');
    const cached = await fx.cache.fetch(fx.storage, uri);
    const relative = cached.path.slice(join(fx.root, 'cache').length + 1);
    expect(relative).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}\/[0-9a-f]{32}\.jpg$/);
  });

  it('downloads once when many callers ask for the same object at once', async () => {
    const uri = await fx.put('cache/big.bin', Buffer.alloc(3 * 1024 * 1024, 7));
    const results = await Promise.all(
      Array.from({ length: 5 }, () => fx.cache.fetch(fx.storage, uri)),
    );
    expect(new Set(results.map((r) => r.path)).size).toBe(1);
    expect(fx.reads.get(uri)).toBe(1);
    expect((await stat(results[0]?.path ?? '')).size).toBe(3 * 1024 * 1024);
    expect((await filesUnder(join(fx.root, 'cache'))).length).toBe(1);
  });

  it('uses the stat a listing already returned', async () => {
    await fx.put('cache/dir/one.png', 'p');
    for await (const object of fx.storage.listAll(fx.uri('cache/dir/'))) {
      const cached = await fx.cache.fetch(fx.storage, object.uri, { stat: object });
      expect(cached.stat).toBe(object);
    }
  });
});
