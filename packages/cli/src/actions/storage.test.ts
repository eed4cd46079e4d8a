import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../cli.test-support.js';
import { unusedPort } from '../sandbox.test-support.js';

describe('stratus storage on the local backend', () => {
  let sandbox: CliSandbox;
  let apiUrl: string;
  beforeEach(async () => {
    // No API server: copies go ahead unclaimed, and say so.
    apiUrl = `http://127.0.0.1:${await unusedPort()}`;
    sandbox = await cliSandbox({ STRATUS_API_URL: apiUrl });
    await mkdir(join(sandbox.dir, 'tree', 'sub'), { recursive: true });
    await writeFile(join(sandbox.dir, 'tree', 'a.txt'), 'alpha');
    await writeFile(join(sandbox.dir, 'tree', 'sub', 'b.txt'), 'bravo!');
  });
  afterEach(() => sandbox.cleanup());

  it('copies a file up and down, into folders, and between objects', async () => {
    const up = await sandbox.run(['storage', 'cp', 'tree/a.txt', 'gs://demo/data/']);
    expect(up.code).toBe(0);
    expect(up.stderr).toBe(
      `Copying file://${join(sandbox.dir, 'tree', 'a.txt')} to gs://demo/data/a.txt\nCopied 1 file (5 B).\n` +
        `No Stratus API answered at ${apiUrl}, so gs://demo is not claimed for project default.\n`,
    );
    const bucketFile = join(sandbox.dir, 'home', 'buckets', 'demo', 'data', 'a.txt');
    expect(await readFile(bucketFile, 'utf8')).toBe('alpha');
    expect(
      (await sandbox.run(['storage', 'cp', 'gs://demo/data/a.txt', 'gs://demo/copy/a2.txt'])).code,
    ).toBe(0);
    await mkdir(join(sandbox.dir, 'down'));
    const down = await sandbox.run(['--quiet', 'storage', 'cp', 'gs://demo/copy/a2.txt', 'down']);
    expect(down).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await readFile(join(sandbox.dir, 'down', 'a2.txt'), 'utf8')).toBe('alpha');
  });

  it('copies trees with -r (into DST/<name>/, or the contents with a trailing /) and lists them', async () => {
    expect((await sandbox.run(['storage', 'cp', '-r', 'tree', 'gs://demo/up'])).code).toBe(0);
    expect((await sandbox.run(['storage', 'cp', '-r', 'tree/', 'gs://demo/flat'])).code).toBe(0);
    const all = await sandbox.run(['storage', 'ls', '-r', 'gs://demo']);
    expect(all.stdout).toBe(
      [
        'gs://demo/flat/a.txt',
        'gs://demo/flat/sub/b.txt',
        'gs://demo/up/tree/a.txt',
        'gs://demo/up/tree/sub/b.txt',
        '',
      ].join('\n'),
    );
    const level = await sandbox.run(['storage', 'ls', 'gs://demo/up/tree']);
    expect(level.stdout).toBe('gs://demo/up/tree/a.txt\ngs://demo/up/tree/sub/\n');
    const table = await sandbox.run([
      'storage',
      'ls',
      '-r',
      'gs://demo/flat',
      '--format',
      'table(uri,size)',
    ]);
    expect(table.stdout).toBe(
      [
        'URI                       SIZE',
        'gs://demo/flat/a.txt      5',
        'gs://demo/flat/sub/b.txt  6',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(
      (await sandbox.run(['storage', 'ls', 'gs://demo/flat/sub', '--format', 'json'])).stdout,
    ) as Array<{ uri: string; size: number; kind: string }>;
    expect(json.map(({ uri, size, kind }) => ({ uri, size, kind }))).toEqual([
      { uri: 'gs://demo/flat/sub/b.txt', size: 6, kind: 'object' },
    ]);
    const back = await sandbox.run(['storage', 'cp', '-r', 'gs://demo/up/tree', 'restored']);
    expect(back.stderr).toContain('Copied 2 files (11 B).');
    expect(await readFile(join(sandbox.dir, 'restored', 'tree', 'sub', 'b.txt'), 'utf8')).toBe(
      'bravo!',
    );
    expect((await readdir(join(sandbox.dir, 'restored', 'tree'))).sort()).toEqual(['a.txt', 'sub']);
  });

  it('says what is wrong with exit 2 for usage and 1 for storage errors', async () => {
    const dir = await sandbox.run(['storage', 'cp', 'tree', 'gs://demo/x']);
    expect(dir).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERROR: (stratus.storage.cp) tree is a directory; use -r to copy it\n',
    });
    const missing = await sandbox.run(['storage', 'cp', 'nope.txt', 'gs://demo/x']);
    expect(missing.stderr).toBe(
      'ERROR: (stratus.storage.cp) nope.txt: no such file or directory\n',
    );
    expect(missing.code).toBe(2);
    await sandbox.run(['storage', 'cp', '-r', 'tree', 'gs://demo/up']);
    const prefix = await sandbox.run(['storage', 'cp', 'gs://demo/up/tree', 'here']);
    expect(prefix.stderr).toBe(
      'ERROR: (stratus.storage.cp) gs://demo/up/tree is a prefix; use -r to copy it\n',
    );
    const notFound = await sandbox.run(['storage', 'cp', 'gs://demo/none.txt', 'here.txt']);
    expect(notFound.code).toBe(1);
    expect(notFound.stderr).toBe(
      'ERROR: (stratus.storage.cp) OBJECT_NOT_FOUND: Object gs://demo/none.txt not found\n',
    );
    const badUri = await sandbox.run(['storage', 'ls', 'gs://Bad_Bucket/x']);
    expect(badUri.code).toBe(1);
    expect(badUri.stderr).toMatch(
      /^ERROR: \(stratus\.storage\.ls\) INVALID_STORAGE_URI: Invalid storage URI "gs:\/\/Bad_Bucket\/x\/"/,
    );
    const empty = await sandbox.run(['storage', 'ls', 'gs://demo/nothing']);
    expect(empty).toEqual({ code: 1, stdout: '', stderr: 'No objects match gs://demo/nothing\n' });
    const local = await sandbox.run(['storage', 'cp', 'a', 'b']);
    expect(local.code).toBe(2);
  });
});
