import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { npmPack } from './npm-pack.js';
import { startServedSandbox, type ServedSandbox } from '../serve.test-support.js';

const EXAMPLE_TRAINER = fileURLToPath(
  new URL('../../../../examples/custom-trainer', import.meta.url),
);
const PACKAGE_URI = 'gs://demo/packages/stratus-example-custom-trainer-1.0.0.tgz';

/** A training input as the Cloud ML reference writes one: no jobDir, a dotted pythonModule. */
const TRAINING_INPUT = {
  scaleTier: 'BASIC',
  packageUris: [PACKAGE_URI],
  pythonModule: 'trainer.task',
  args: ['--epochs=3'],
  region: 'us-central1',
  runtimeVersion: '2.11',
};

describe('a Cloud ML reference training config, unchanged, against `stratus serve`', () => {
  let served: ServedSandbox;
  beforeAll(async () => {
    served = await startServedSandbox();
    const packed = await npmPack(EXAMPLE_TRAINER, process.env);
    try {
      const upload = await served.run(['storage', 'cp', packed.file, PACKAGE_URI]);
      expect(upload.code, upload.stderr).toBe(0);
    } finally {
      await packed.cleanup();
    }
  }, 120_000);
  afterAll(async () => {
    expect((await served.stop()).code).toBe(0);
  }, 60_000);

  const describeJob = async (jobId: string): Promise<Job> =>
    JSON.parse((await served.run(['jobs', 'describe', jobId, '--format', 'json'])).stdout) as Job;

  /** The job ran the package's trainer/task.mjs to SUCCEEDED under the default jobDir. */
  const expectSucceeded = async (jobId: string): Promise<void> => {
    const job = await describeJob(jobId);
    const jobDir = `gs://default-stratus-staging/jobs/${jobId}`;
    expect(job.state, job.errorMessage).toBe('SUCCEEDED');
    expect(job.trainingInput).toEqual({ ...TRAINING_INPUT, jobDir });
    expect(job.trainingOutput).toMatchObject({
      isHyperparameterTuningJob: false,
      isBuiltInAlgorithmJob: false,
      modelDir: `${jobDir}/model`,
    });
    expect(job.trainingOutput?.completedTrialCount).toBeUndefined();
    expect(job.trainingOutput?.consumedMLUnits).toBeGreaterThanOrEqual(0);
    const listed = await served.run(['storage', 'ls', '-r', jobDir]);
    expect(listed.stdout).toContain(`${jobDir}/model/model.json\n`);
  };

  it('submits through REST (POST …/jobs) and runs the custom trainer to SUCCEEDED', async () => {
    const response = await fetch(`${served.apiUrl}/v1/projects/default/jobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${served.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ jobId: 'cloudml_rest', trainingInput: TRAINING_INPUT }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const followed = await served.run(['jobs', 'stream-logs', 'cloudml_rest']);
    expect(followed.stdout).toMatch(/trial 1: epoch 3: accuracy=[\d.]+\n/);
    expect(followed.code, followed.stderr).toBe(0);
    await expectSucceeded('cloudml_rest');
  }, 120_000);

  it('submits through `stratus jobs submit training --config` and runs to SUCCEEDED', async () => {
    await writeFile(join(served.dir, 'cloudml.yaml'), stringify({ trainingInput: TRAINING_INPUT }));
    const run = await served.run([
      'jobs',
      'submit',
      'training',
      'cloudml_cli',
      '--config',
      'cloudml.yaml',
      '--stream-logs',
    ]);
    expect(run.stdout).toMatch(/trial 1: epoch 3: accuracy=[\d.]+\n/);
    expect(run.code, run.stderr).toBe(0);
    await expectSucceeded('cloudml_cli');
  }, 120_000);
});
