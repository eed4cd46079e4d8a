import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../training/checkpoint.js';
import type { TrialResult, TrialSpec } from './trial-spec.js';
import {
  IRIS_URI,
  trialFixture,
  trialSpec,
  type TrialFixture,
} from './trial-fixture.test-support.js';

const CHILD = fileURLToPath(new URL('./trial-child.test-support.ts', import.meta.url));
const EPOCHS = 30;

let fixture: TrialFixture;
beforeAll(async () => {
  fixture = await trialFixture();
});
afterAll(async () => fixture.cleanup());

interface ChildRun {
  epochs: number[];
  result?: TrialResult;
  signal: NodeJS.Signals | null;
}

/** Run the trial in a child process; SIGKILL it once it reports `killAfterEpoch`. */
function runChild(spec: TrialSpec, killAfterEpoch?: number): Promise<ChildRun> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=stratus-src',
      CHILD,
      fixture.bucketsRoot,
      join(fixture.root, 'cache'),
      JSON.stringify(spec),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const run: ChildRun = { epochs: [], signal: null };
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { epoch?: number; result?: TrialResult };
    if (message.epoch !== undefined) {
      run.epochs.push(message.epoch);
      if (message.epoch === killAfterEpoch) child.kill('SIGKILL');
    }
    if (message.result !== undefined) run.result = message.result;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (_code, signal) => resolve({ ...run, signal }));
  });
}

describe('a trial killed mid-training', () => {
  it('resumes from its newest checkpoint and ends with the full epoch count', async () => {
    const spec = trialSpec({
      jobDir: 'gs://demo/jobs/killed',
      builtinAlgorithm: {
        name: 'dnn_classifier',
        trainingData: IRIS_URI,
        labelColumn: 'species',
        epochs: EPOCHS,
        batchSize: 8,
        seed: 5,
      },
    });
    const first = await runChild(spec, 8);
    expect(first.signal).toBe('SIGKILL');
    expect(first.result).toBeUndefined();
    const saved = await new CheckpointStore(fixture.storage, 'gs://demo/jobs/killed').epochs();
    const newest = saved[0] ?? 0;
    expect(newest).toBeGreaterThanOrEqual(7);
    expect(newest).toBeLessThan(EPOCHS);

    const second = await runChild(spec);
    expect(second.signal).toBeNull();
    expect(second.result?.resumedFromEpoch).toBe(newest);
    expect(second.result?.epochs).toBe(EPOCHS);
    // Only the epochs after the checkpoint were trained again.
    expect(second.epochs).toEqual(
      Array.from({ length: EPOCHS - newest }, (_, i) => newest + i + 1),
    );
    expect(await fixture.storage.exists('gs://demo/jobs/killed/model/model.json')).toBe(true);
  }, 120_000);
});
