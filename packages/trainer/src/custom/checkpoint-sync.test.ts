import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointSync, restoreCheckpoints } from './checkpoint-sync.js';
import { openTrialHarness, type TrialHarness } from './custom-trainer.test-support.js';
import { uploadDirectory } from './upload-directory.js';

let h: TrialHarness;
beforeAll(async () => {
  h = await openTrialHarness();
});
afterAll(() => h.close());

const names = async (prefix: string): Promise<string[]> => {
  const found: string[] = [];
  for await (const object of h.storage.listAll(prefix)) found.push(object.name);
  return found.sort();
};

describe('checkpoints in the bucket', () => {
  it('restores an earlier attempt’s checkpoints and copies new ones back, changed files only', async () => {
    const uri = 'gs://jobs/j1/3/checkpoints';
    await h.storage.write(`${uri}/epoch-1/weights.bin`, 'epoch one');
    const local = path.join(h.root, 'attempt-2', 'checkpoints');
    await mkdir(local, { recursive: true });
    expect(await restoreCheckpoints(h.storage, uri, local)).toBe(1);
    expect(await readFile(path.join(local, 'epoch-1', 'weights.bin'), 'utf8')).toBe('epoch one');

    const errors: unknown[] = [];
    const sync = new CheckpointSync(h.storage, local, uri, (error) => errors.push(error));
    await mkdir(path.join(local, 'epoch-2'));
    await writeFile(path.join(local, 'epoch-2', 'weights.bin'), 'epoch two');
    await sync.sync();
    const first = (await h.storage.stat(`${uri}/epoch-1/weights.bin`)).generation;
    await writeFile(path.join(local, 'epoch-2', 'weights.bin'), 'epoch two, rewritten');
    await sync.stop();
    expect(errors).toEqual([]);
    expect(await names('gs://jobs/j1/3/')).toEqual([
      'j1/3/checkpoints/epoch-1/weights.bin',
      'j1/3/checkpoints/epoch-2/weights.bin',
    ]);
    expect((await h.storage.read(`${uri}/epoch-2/weights.bin`)).toString()).toBe(
      'epoch two, rewritten',
    );
    // The restored file was never uploaded again.
    expect((await h.storage.stat(`${uri}/epoch-1/weights.bin`)).generation).toBe(first);
  });

  it('never follows a link the trainer planted, to a file or through a folder', async () => {
    const dir = path.join(h.root, 'planted', 'model');
    const outside = path.join(h.root, 'server-secret');
    await writeFile(outside, 'admin token');
    await mkdir(path.join(h.root, 'outside-dir'), { recursive: true });
    await writeFile(path.join(h.root, 'outside-dir', 'secret.txt'), 'other tenant');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'model.json'), '{}');
    await symlink(outside, path.join(dir, 'weights.bin'));
    await symlink(path.join(h.root, 'outside-dir'), path.join(dir, 'shards'));
    const result = await uploadDirectory(h.storage, dir, 'gs://jobs/planted/model');
    expect(result.files).toBe(1);
    expect([...result.skipped].sort()).toEqual(['shards', 'weights.bin']);
    expect(await names('gs://jobs/planted/')).toEqual(['planted/model/model.json']);
  });
});
