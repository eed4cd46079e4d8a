import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTrialHarness, type TrialHarness } from './custom-trainer.test-support.js';
import { stageInputs } from './stage-inputs.js';

let h: TrialHarness;
beforeAll(async () => {
  h = await openTrialHarness();
  await h.storage.write('gs://alpha/data/train.csv', 'x,label\n1,0\n');
  await h.storage.write('gs://alpha/images/cat/1.png', 'png-1');
  await h.storage.write('gs://alpha/images/dog/2.png', 'png-22');
});
afterAll(() => h.close());

describe('stageInputs', () => {
  it('downloads objects and folders named in args once, read-only, and rewrites the args', async () => {
    const once = await stageInputs(
      h.storage,
      [
        '--train-data=gs://alpha/data/train.csv',
        'gs://alpha/images/',
        '--images=gs://alpha/images',
        '--out=gs://alpha/nothing/here',
        '--epochs=3',
      ],
      path.join(h.root, 'inputs-2'),
      { maxBytes: 1 << 20 },
    );
    const root = path.join(h.root, 'inputs-2');
    expect(once.args).toEqual([
      `--train-data=${path.join(root, 'alpha', 'data', 'train.csv')}`,
      `${path.join(root, 'alpha', 'images')}/`,
      `--images=${path.join(root, 'alpha', 'images')}`,
      '--out=gs://alpha/nothing/here',
      '--epochs=3',
    ]);
    expect(once.notes).toEqual([
      `staged gs://alpha/data/train.csv (12 bytes) at ${path.join(root, 'alpha', 'data', 'train.csv')}`,
      `staged gs://alpha/images/ (2 objects) at ${path.join(root, 'alpha', 'images')}`,
      `staged gs://alpha/images (2 objects) at ${path.join(root, 'alpha', 'images')}`,
      'not staged: gs://alpha/nothing/here names no object or folder',
    ]);
    expect(await readFile(path.join(root, 'alpha', 'images', 'dog', '2.png'), 'utf8')).toBe(
      'png-22',
    );
    expect((await stat(path.join(root, 'alpha', 'data', 'train.csv'))).mode & 0o777).toBe(0o444);
  });

  it('refuses inputs past the byte limit, naming the object', async () => {
    const inputs = path.join(h.root, 'inputs-3');
    await expect(
      stageInputs(h.storage, ['gs://alpha/images'], inputs, { maxBytes: 8 }),
    ).rejects.toThrow(
      'Input gs://alpha/images/dog/2.png cannot be staged for the trainer: staged inputs may hold 10000 objects and 8 bytes (STRATUS_TRAINER_DISK_MB)',
    );
    expect(await readdir(path.join(inputs, 'alpha', 'images'))).toEqual(['cat']);
  });
});
