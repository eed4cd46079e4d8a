import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServedSandbox, type ServedSandbox } from '../serve.test-support.js';

describe('bucket ownership through `stratus storage` against `stratus serve`', () => {
  let served: ServedSandbox;
  const bucketFile = (...parts: string[]): string => join(served.dir, 'home', 'buckets', ...parts);
  const alpha = (argv: string[]) => served.run(['--project', 'alpha', ...argv]);
  const beta = (argv: string[]) => served.run(['--project', 'beta', ...argv]);

  beforeAll(async () => {
    served = await startServedSandbox();
    await writeFile(join(served.dir, 'a.txt'), 'alpha');
  }, 90_000);
  afterAll(async () => {
    expect((await served.stop()).code).toBe(0);
  }, 60_000);

  it('claims with mb, refuses another project the bucket, and lists what a project has', async () => {
    expect(await beta(['storage', 'mb', 'gs://beta-data'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Bucket gs://beta-data belongs to project beta.\n',
    });
    // Idempotent for the owner.
    expect((await beta(['storage', 'mb', 'gs://beta-data'])).code).toBe(0);
    expect(await alpha(['storage', 'mb', 'gs://beta-data'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: (stratus.storage.mb) PERMISSION_DENIED: Permission denied: name: bucket "beta-data" belongs to another project\n',
    });
    const bad = await alpha(['storage', 'mb', 'gs://Bad_Bucket']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('name: bucket name may contain only lowercase letters');
    expect(await beta(['storage', 'ls-buckets'])).toEqual({
      code: 0,
      stdout: 'NAME            OWNER  ROLE   GRANTS\ngs://beta-data  beta   OWNER\n',
      stderr: '',
    });
  });

  it('cp claims a fresh bucket, refuses one that belongs to another project, and writes nothing then', async () => {
    const up = await alpha(['storage', 'cp', 'a.txt', 'gs://alpha-data/a.txt']);
    expect(up.code).toBe(0);
    expect(up.stderr).toContain('Copied 1 file (5 B).');
    expect(await readFile(bucketFile('alpha-data', 'a.txt'), 'utf8')).toBe('alpha');
    const listed = JSON.parse(
      (await alpha(['storage', 'ls-buckets', '--format', 'json'])).stdout,
    ) as unknown;
    expect(listed).toEqual([{ name: 'alpha-data', owner: 'alpha', role: 'OWNER', grants: [] }]);

    const refused = await alpha(['storage', 'cp', 'a.txt', 'gs://beta-data/stolen.txt']);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: (stratus.storage.cp) PERMISSION_DENIED: Permission denied: name: bucket "beta-data" belongs to another project\n',
    });
    await expect(readFile(bucketFile('beta-data', 'stolen.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('grant lets another project read (READER) or write (WRITER); revoke takes it back', async () => {
    expect((await beta(['storage', 'cp', 'a.txt', 'gs://beta-data/shared.txt'])).code).toBe(0);
    const readBefore = await alpha(['storage', 'cp', 'gs://beta-data/shared.txt', 'got.txt']);
    expect(readBefore.code).toBe(1);

    expect(
      await beta(['storage', 'grant', 'gs://beta-data', '--grantee', 'alpha', '--role', 'READER']),
    ).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Granted READER on gs://beta-data to project alpha.\n',
    });
    expect((await beta(['storage', 'ls-buckets'])).stdout).toBe(
      'NAME            OWNER  ROLE   GRANTS\ngs://beta-data  beta   OWNER  alpha:READER\n',
    );
    expect((await alpha(['storage', 'ls-buckets'])).stdout).toBe(
      [
        'NAME             OWNER  ROLE    GRANTS',
        'gs://alpha-data  alpha  OWNER',
        'gs://beta-data   beta   READER',
        '',
      ].join('\n'),
    );
    const read = await alpha(['storage', 'cp', 'gs://beta-data/shared.txt', 'got.txt']);
    expect(read.code).toBe(0);
    expect(await readFile(join(served.dir, 'got.txt'), 'utf8')).toBe('alpha');
    const write = await alpha(['storage', 'cp', 'a.txt', 'gs://beta-data/w.txt']);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain('PERMISSION_DENIED');

    await beta(['storage', 'grant', 'gs://beta-data', '--grantee', 'alpha', '--role', 'WRITER']);
    expect((await alpha(['storage', 'cp', 'a.txt', 'gs://beta-data/w.txt'])).code).toBe(0);

    expect(await beta(['storage', 'revoke', 'gs://beta-data', '--grantee', 'alpha'])).toEqual({
      code: 0,
      stdout: '',
      stderr: "Revoked project alpha's access to gs://beta-data.\n",
    });
    expect((await alpha(['storage', 'cp', 'gs://beta-data/shared.txt', 'again.txt'])).code).toBe(1);
  });

  it('exits 2 for a missing --grantee or a bad role', async () => {
    expect(await beta(['storage', 'grant', 'gs://beta-data', '--role', 'READER'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "ERROR: (stratus.storage.grant) required option '--grantee <project>' not specified\n",
    });
    const role = await beta([
      'storage',
      'grant',
      'gs://beta-data',
      '--grantee',
      'x',
      '--role',
      'OWNER',
    ]);
    expect(role.code).toBe(2);
    expect((await beta(['storage', 'mb', 'gs://beta-data/path'])).stderr).toBe(
      'ERROR: (stratus.storage.mb) gs://beta-data/path is not a bucket (expected gs://BUCKET)\n',
    );
  });
});
