import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '@stratus/spec';
import type { Storage } from './types.js';
import { createLocalStorage } from './local-storage.js';
import { expectStratusError } from './conformance-fixture.test-support.js';

// $STRATUS_HOME with an admin token beside the buckets, as `npm start` lays it out.
const SECRET = 'stratus_admin-token-that-must-never-leak';
let home: string;
let root: string;
let outside: string;
let storage: Storage;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'stratus-links-'));
  root = join(home, 'buckets');
  outside = join(home, 'outside');
  await writeFile(join(home, 'admin-token'), `${SECRET}\n`, { mode: 0o600 });
  await mkdir(outside);
  await writeFile(join(outside, 'x.csv'), 'outside,data\n');
  storage = createLocalStorage({ root });
  await storage.write('gs://bkt/ok', 'inside');
});

afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

/** Rejects with `reason` naming `uri`, and says nothing of the link's target or its content. */
const expectRefused = async (
  promise: Promise<unknown>,
  reason: ErrorCode,
  uri: string,
): Promise<void> => {
  const error = await promise.then(
    () => new Error('resolved'),
    (caught: unknown) => caught as Error,
  );
  await expectStratusError(Promise.reject(error), reason, uri);
  expect(error.message).not.toContain(SECRET);
  expect(error.message).not.toContain(home);
};

const names = async (prefix: string): Promise<string[]> => {
  const page = await storage.list(prefix, { delimiter: '/' });
  return [...page.objects.map((o) => o.name), ...page.prefixes];
};

const adminToken = () => readFile(join(home, 'admin-token'), 'utf8');

describe('local backend symlink rule', () => {
  it('refuses a link inside a bucket to $STRATUS_HOME for every operation', async () => {
    await symlink(home, join(root, 'bkt', 'home'));
    const uri = 'gs://bkt/home/admin-token';
    await expectRefused(storage.read(uri), 'OBJECT_NOT_FOUND', uri);
    await expectRefused(storage.stat(uri), 'OBJECT_NOT_FOUND', uri);
    expect(await storage.exists(uri)).toBe(false);
    await expectRefused(storage.copy(uri, 'gs://bkt/stolen'), 'OBJECT_NOT_FOUND', uri);
    await expectRefused(storage.delete(uri), 'OBJECT_NOT_FOUND', uri);
    await expectRefused(storage.write(uri, 'overwritten'), 'PERMISSION_DENIED', uri);
    await expectRefused(
      storage.write('gs://bkt/home/new/file', 'x'),
      'PERMISSION_DENIED',
      'gs://bkt/home/new/file',
    );
    expect(await names('gs://bkt/')).toEqual(['ok']);
    expect(await names('gs://bkt/home/')).toEqual([]);
    expect((await storage.list('gs://bkt/home/')).objects).toEqual([]);
    expect(await adminToken()).toBe(`${SECRET}\n`);
    expect((await readdir(home)).sort()).toEqual(['admin-token', 'buckets', 'outside']);
    expect(await storage.exists('gs://bkt/stolen')).toBe(false);
  });

  it('refuses a link to a file outside, and never writes through it', async () => {
    await symlink(join(home, 'admin-token'), join(root, 'bkt', 'token'));
    const uri = 'gs://bkt/token';
    await expectRefused(storage.read(uri), 'OBJECT_NOT_FOUND', uri);
    await expectRefused(storage.stat(uri), 'OBJECT_NOT_FOUND', uri);
    await expectRefused(
      new Promise((resolve, reject) => {
        storage.createReadStream(uri).on('data', resolve).on('error', reject);
      }),
      'OBJECT_NOT_FOUND',
      uri,
    );
    await expectRefused(storage.write(uri, 'replaced'), 'PERMISSION_DENIED', uri);
    await expectRefused(storage.delete(uri), 'OBJECT_NOT_FOUND', uri);
    expect(await names('gs://bkt/')).toEqual(['ok']);
    expect(await adminToken()).toBe(`${SECRET}\n`);
  });

  it('refuses a linked folder in the middle of a path, creating nothing outside', async () => {
    await storage.write('gs://bkt/data/real.csv', 'a\n');
    await symlink(outside, join(root, 'bkt', 'data', 'sub'));
    await expectRefused(
      storage.read('gs://bkt/data/sub/x.csv'),
      'OBJECT_NOT_FOUND',
      'gs://bkt/data/sub/x.csv',
    );
    await expectRefused(
      storage.write('gs://bkt/data/sub/new.csv', 'n'),
      'PERMISSION_DENIED',
      'gs://bkt/data/sub/new.csv',
    );
    await expectRefused(
      storage.write('gs://bkt/data/sub/deeper/new.csv', 'n'),
      'PERMISSION_DENIED',
      'gs://bkt/data/sub/deeper/new.csv',
    );
    await expectRefused(
      storage.delete('gs://bkt/data/sub/x.csv'),
      'OBJECT_NOT_FOUND',
      'gs://bkt/data/sub/x.csv',
    );
    expect((await readdir(outside)).sort()).toEqual(['x.csv']);
    expect(await names('gs://bkt/data/')).toEqual(['data/real.csv']);
    expect(await names('gs://bkt/data/sub/')).toEqual([]);
    expect((await storage.list('gs://bkt/data/sub/x')).objects).toEqual([]);
  });

  it('refuses a bucket directory that is itself a link', async () => {
    await symlink(outside, join(root, 'lnk'));
    await expectRefused(storage.read('gs://lnk/x.csv'), 'OBJECT_NOT_FOUND', 'gs://lnk/x.csv');
    await expectRefused(storage.write('gs://lnk/y', 'y'), 'PERMISSION_DENIED', 'gs://lnk/y');
    expect(await storage.list('gs://lnk/')).toEqual({ objects: [], prefixes: [] });
    expect(await readdir(outside)).toEqual(['x.csv']);
  });

  it('resolves a bucket root reached through a link once, and works through it', async () => {
    const real = join(home, 'real-buckets');
    await mkdir(real);
    await symlink(real, join(home, 'buckets-link'));
    const linked = createLocalStorage({ root: join(home, 'buckets-link') });
    await linked.write('gs://cbk/d/e', 'through the root link');
    expect((await linked.read('gs://cbk/d/e')).toString()).toBe('through the root link');
    expect((await linked.stat('gs://cbk/d/e')).size).toBe(21);
    expect(await readFile(join(real, 'cbk', 'd', 'e'), 'utf8')).toBe('through the root link');
    expect((await linked.list('gs://cbk/')).objects.map((o) => o.name)).toEqual(['d/e']);
    await linked.copy('gs://cbk/d/e', 'gs://cbk/f');
    await linked.delete('gs://cbk/d/e');
    expect(await readdir(join(real, 'cbk'))).toEqual(['f']);
  });
});
