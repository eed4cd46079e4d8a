import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { StratusError } from '@stratus/spec';
import { create } from 'tar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failureOf } from './custom-trainer.test-support.js';
import { checkEntryPath } from './entry-path.js';
import { extractPackageTarball, type ExtractLimits } from './safe-extract.js';
import { paxRecord, tarball, tarBytes, type FixtureEntry } from './tar-fixture.test-support.js';

const URI = 'gs://b/pkg.tgz';
let dir: string;
let dest: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'extract-'));
  dest = path.join(dir, 'work', 'package');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const extract = (bytes: Buffer, limits?: ExtractLimits) =>
  extractPackageTarball(Readable.from([bytes]), dest, { uri: URI, ...(limits && { limits }) });

async function refusal(bytes: Buffer, limits?: ExtractLimits): Promise<StratusError> {
  const error = await failureOf(extract(bytes, limits));
  expect(error.reason).toBe('PACKAGE_INVALID');
  return error;
}

async function expectRefused(bytes: Buffer, detail: string, limits?: ExtractLimits) {
  const error = await refusal(bytes, limits);
  expect(error.message).toBe(`Trainer package ${URI} is refused: ${detail}`);
}

const file = (p: string, body: string | Buffer = 'x'): FixtureEntry => ({ path: p, body });

describe('extractPackageTarball', () => {
  it('extracts a package made by node-tar, stripping package/ and keeping the exec bit', async () => {
    const src = path.join(dir, 'src');
    await mkdir(path.join(src, 'trainer'), { recursive: true });
    await writeFile(path.join(src, 'package.json'), '{"name":"t","version":"1.0.0"}');
    await writeFile(path.join(src, 'trainer', 'task.mjs'), 'console.log(1)\n');
    await writeFile(path.join(src, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    const tgz = path.join(dir, 't.tgz');
    await create({ gzip: true, cwd: src, prefix: 'package', portable: true, file: tgz }, [
      'package.json',
      'trainer',
      'run.sh',
    ]);
    const result = await extract(await readFile(tgz));
    expect(result).toEqual({ files: 3, directories: 1, bytes: 30 + 15 + 10 });
    expect(await readFile(path.join(dest, 'trainer', 'task.mjs'), 'utf8')).toBe('console.log(1)\n');
    expect((await stat(path.join(dest, 'run.sh'))).mode & 0o111).not.toBe(0);
    expect((await stat(path.join(dest, 'package.json'))).mode & 0o111).toBe(0);
  });

  it('refuses ../evil and writes nothing outside', async () => {
    await expectRefused(
      tarball([file('package/ok.js'), file('../evil')]),
      'entry "../evil" climbs out with ".."',
    );
    expect(await readdir(dir)).toEqual(['work']);
    expect(await readdir(path.join(dir, 'work'))).toEqual(['package']);
  });

  it('refuses package/../../x, an absolute path, and a pax header that smuggles ".."', async () => {
    await expectRefused(
      tarball([file('package/../../x')]),
      'entry "package/../../x" climbs out with ".."',
    );
    await rm(dest, { recursive: true, force: true });
    await expectRefused(
      tarball([file('/tmp/abs-evil')]),
      'entry "/tmp/abs-evil" is an absolute path',
    );
    await rm(dest, { recursive: true, force: true });
    const smuggled = tarball([
      { path: 'PaxHeader/a', type: 'x', body: paxRecord('path', 'package/../../pax-evil') },
      file('package/harmless.js'),
    ]);
    await expectRefused(smuggled, 'entry "package/../../pax-evil" climbs out with ".."');
    expect(await readdir(dir)).toEqual(['work']);
  });

  it('refuses a symlink to /etc/passwd, a hard link and a device', async () => {
    await expectRefused(
      tarball([
        file('package/a.js'),
        { path: 'package/passwd', type: '2', linkpath: '/etc/passwd' },
      ]),
      'entry "package/passwd" is a symbolic link to "/etc/passwd"; trainer packages may hold only files and directories',
    );
    await rm(dest, { recursive: true, force: true });
    await expectRefused(
      tarball([
        file('package/a.js'),
        { path: 'package/b.js', type: '1', linkpath: 'package/a.js' },
      ]),
      'entry "package/b.js" is a hard link to "package/a.js"; trainer packages may hold only files and directories',
    );
    await rm(dest, { recursive: true, force: true });
    await expectRefused(
      tarball([{ path: 'package/tty', type: '3' }]),
      'entry "package/tty" is a character device; only files and directories are allowed',
    );
  });

  it('caps entry count and unpacked size (zip bomb)', async () => {
    const many = tarball(['a', 'b', 'c', 'd'].map((n) => file(`package/${n}.js`)));
    await expectRefused(many, 'it has more than 3 entries', { maxEntries: 3 });
    await rm(dest, { recursive: true, force: true });
    // 16 MiB of zeros gzip to ~16 KiB; the size in the header is refused before anything is written.
    const bomb = tarball([file('package/zeros.bin', Buffer.alloc(16 * 1024 * 1024))]);
    expect(bomb.length).toBeLessThan(50_000);
    await expectRefused(
      bomb,
      'its files hold more than 1048576 bytes (at entry "package/zeros.bin")',
      { maxBytes: 1024 * 1024 },
    );
    await rm(dest, { recursive: true, force: true });
    // Zeros after the end-of-archive blocks are never written anywhere, but still count.
    const padded = gzipSync(
      Buffer.concat([tarBytes([file('package/a.js')]), Buffer.alloc(4 << 20)]),
    );
    await expectRefused(padded, 'it unpacks to more than 1048576 bytes', { maxBytes: 1024 * 1024 });
  });

  it('refuses what is not a gzip tarball, a second entry with the same path, a stray top-level file', async () => {
    await expectRefused(
      tarBytes([file('package/a.js')]),
      'it is not gzip-compressed (npm pack output): incorrect header check',
    );
    await rm(dest, { recursive: true, force: true });
    const error = await refusal(gzipSync('just some text, not a tar archive at all'.repeat(20)));
    expect(error.message).toMatch(
      /is refused: it is not a valid tar archive \(TAR_ENTRY_INVALID: checksum failure\)$/,
    );
    await rm(dest, { recursive: true, force: true });
    const twice = tarball([file('package/a.js', 'one'), file('package/a.js', 'two')]);
    const dup = await refusal(twice);
    expect(dup.message).toMatch(/entry "package\/a.js" cannot be written: EEXIST/);
    await rm(dest, { recursive: true, force: true });
    await expectRefused(
      tarball([file('package/a.js'), file('other/b.js')]),
      'entry "other/b.js" is outside the top-level folder "package/"',
    );
  });
});

describe('checkEntryPath', () => {
  it('strips the top folder and refuses every way out', () => {
    expect(checkEntryPath('package/trainer/task.mjs')).toEqual({
      ok: true,
      top: 'package',
      relative: 'trainer/task.mjs',
    });
    expect(checkEntryPath('./package/./a//b')).toEqual({
      ok: true,
      top: 'package',
      relative: 'a/b',
    });
    expect(checkEntryPath('package/')).toEqual({ ok: true, top: 'package', relative: '' });
    expect(checkEntryPath('package/a/../b')).toEqual({ ok: false, reason: 'climbs out with ".."' });
    expect(checkEntryPath('C:/x')).toEqual({ ok: false, reason: 'is an absolute path' });
    expect(checkEntryPath('package\\..\\x')).toEqual({ ok: false, reason: 'contains a backslash' });
    expect(checkEntryPath('package/a\0b')).toEqual({ ok: false, reason: 'contains a NUL byte' });
    expect(checkEntryPath('./')).toEqual({ ok: false, reason: 'has an empty path' });
  });
});
