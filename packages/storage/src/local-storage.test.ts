import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from './types.js';
import { createLocalStorage } from './local-storage.js';
import { localLayout, objectPath } from './local-paths.js';
import { expectStratusError } from './conformance-fixture.test-support.js';

let home: string;
let root: string;
let storage: Storage;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'stratus-local-'));
  root = join(home, 'buckets');
  storage = createLocalStorage({ root });
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('local backend layout', () => {
  it('keeps gs://bucket/name at <root>/bucket/name, creating the bucket on first write', async () => {
    expect(await exists(join(root, 'data'))).toBe(false);
    await storage.write('gs://data/sets/iris.csv', 'a,b\n1,2\n');
    expect(await readFile(join(root, 'data', 'sets', 'iris.csv'), 'utf8')).toBe('a,b\n1,2\n');
  });

  it('serves files placed in the bucket directory by hand', async () => {
    await mkdir(join(root, 'hand', 'images', 'cat'), { recursive: true });
    await writeFile(join(root, 'hand', 'images', 'cat', '1.png'), 'png');
    expect((await storage.read('gs://hand/images/cat/1.png')).toString()).toBe('png');
    const page = await storage.list('gs://hand/images/', { delimiter: '/' });
    expect(page.prefixes).toEqual(['gs://hand/images/cat/']);
  });

  it('writes through a temp dir outside every bucket and leaves nothing behind', async () => {
    await storage.write('gs://tidy/a', 'x');
    await storage.copy('gs://tidy/a', 'gs://tidy/b');
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
    expect((await readdir(root)).sort()).toEqual(['.tmp', 'tidy']);
    expect((await storage.list('gs://tidy')).objects.map((o) => o.name)).toEqual(['a', 'b']);
    await expectStratusError(
      storage.read('gs://.tmp/x'),
      'INVALID_STORAGE_URI',
      'start and end with a letter or digit',
    );
  });

  it('removes folders emptied by a delete, but not the bucket or non-empty folders', async () => {
    await storage.write('gs://prune/a/b/c/obj', '1');
    await storage.write('gs://prune/a/keep', '2');
    await storage.delete('gs://prune/a/b/c/obj');
    expect(await exists(join(root, 'prune', 'a', 'b'))).toBe(false);
    expect(await exists(join(root, 'prune', 'a', 'keep'))).toBe(true);
    await storage.delete('gs://prune/a/keep');
    expect(await readdir(join(root, 'prune'))).toEqual([]);
  });

  it('reports a missing bucket as not found when reading and empty when listing', async () => {
    await expectStratusError(
      storage.read('gs://nobucket/x'),
      'OBJECT_NOT_FOUND',
      'gs://nobucket/x',
    );
    expect(await storage.list('gs://nobucket/')).toEqual({ objects: [], prefixes: [] });
  });

  it('treats a folder as no object', async () => {
    await storage.write('gs://folders/dir/file', 'x');
    await expectStratusError(
      storage.read('gs://folders/dir'),
      'OBJECT_NOT_FOUND',
      'gs://folders/dir',
    );
    await expectStratusError(
      storage.stat('gs://folders/dir'),
      'OBJECT_NOT_FOUND',
      'gs://folders/dir',
    );
    await expectStratusError(
      storage.delete('gs://folders/dir'),
      'OBJECT_NOT_FOUND',
      'gs://folders/dir',
    );
    expect(await storage.exists('gs://folders/dir')).toBe(false);
  });

  it('reports an object/folder name clash clearly, in both orders', async () => {
    await storage.write('gs://clash/a', 'file');
    await expectStratusError(
      storage.write('gs://clash/a/b', 'x'),
      'OBJECT_NAME_CONFLICT',
      '"a" is an object, so it cannot also be a folder',
    );
    await storage.write('gs://clash/d/e', 'file');
    await expectStratusError(
      storage.write('gs://clash/d', 'x'),
      'OBJECT_NAME_CONFLICT',
      '"d/" holds other objects, so "d" cannot be an object',
    );
    expect((await storage.read('gs://clash/a')).toString()).toBe('file');
    expect(await readdir(join(root, '.tmp'))).toEqual([]);
  });

  it('shares generations and etags between instances over the same root', async () => {
    const written = await storage.write('gs://shared/x', 'v1');
    const other = createLocalStorage({ root });
    const seen = await other.stat('gs://shared/x');
    expect([seen.generation, seen.etag]).toEqual([written.generation, written.etag]);
    // A plausible microsecond timestamp, not a speed assertion.
    expect(BigInt(seen.generation)).toBeGreaterThan(BigInt(Date.now() - 60_000) * 1000n);
  });

  it('does no I/O for a rejected URI', async () => {
    const bad = ['gs://bkt/../../etc/passwd', 'gs://bkt//abs', 'gs://bkt/a\\b', 'gs://b/x'];
    for (const uri of bad) {
      await expectStratusError(storage.write(uri, 'x'), 'INVALID_STORAGE_URI', uri);
      await expectStratusError(storage.read(uri), 'INVALID_STORAGE_URI', uri);
    }
    expect(await exists(root)).toBe(false);
  });

  it('refuses path segments the filesystem cannot hold', async () => {
    const uri = `gs://long/${'n'.repeat(256)}`;
    await expectStratusError(storage.write(uri, 'x'), 'INVALID_STORAGE_URI', 'over 255 bytes');
  });

  it('asserts every resolved path stays inside its bucket (defence in depth)', () => {
    const layout = localLayout(root);
    expect(objectPath(layout, 'bkt', 'a/b')).toBe(join(root, 'bkt', 'a', 'b'));
    for (const name of [
      '../escape',
      'a/../../escape',
      '..',
      '',
      '/etc/passwd',
      'a//b',
      './a',
      'a/',
    ]) {
      expect(() => objectPath(layout, 'bkt', name)).toThrow(
        'resolves outside its bucket directory or onto another name',
      );
    }
  });
});
