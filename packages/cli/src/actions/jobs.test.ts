import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { writeIrisCsv } from '../sandbox.test-support.js';
import {
  builtinJob as builtin,
  startServedSandbox,
  type ServedSandbox,
} from '../serve.test-support.js';

const EXAMPLE_TRAINER = fileURLToPath(
  new URL('../../../../examples/custom-trainer', import.meta.url),
);

const TUNING_YAML = `
trainingInput:
  jobDir: gs://demo/jobs/tuned
  builtinAlgorithm:
    name: dnn_classifier
    trainingData: gs://demo/data/iris.csv
    labelColumn: species
    epochs: 4
  hyperparameters:
    goal: MAXIMIZE
    hyperparameterMetricTag: val_accuracy
    maxTrials: 3
    algorithm: RANDOM_SEARCH
    params:
      - {parameterName: learningRate, type: DOUBLE, minValue: 0.001, maxValue: 0.1, scaleType: UNIT_LOG_SCALE}
labels:
  team: demo
`;

describe('jobs commands against `stratus serve` (real API, worker and Redis)', () => {
  let served: ServedSandbox;
  beforeAll(async () => {
    served = await startServedSandbox();
    await writeIrisCsv(join(served.dir, 'iris.csv'));
  }, 90_000);
  afterAll(async () => {
    const stopped = await served.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/^Stratus is running: http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  }, 60_000);

  it('uploads Iris, trains with --stream-logs to SUCCEEDED, and describes it as JSON', async () => {
    const upload = await served.run(['storage', 'cp', 'iris.csv', 'gs://demo/data/iris.csv']);
    expect(upload.code).toBe(0);
    const run = await served.run([...builtin('iris_1', 6), '--stream-logs']);
    expect(run.stderr).toContain('Job [iris_1] submitted successfully.\n');
    expect(run.stderr).toContain('Job [iris_1] SUCCEEDED; model: gs://demo/jobs/iris_1/model.\n');
    expect(run.code).toBe(0);
    const metricLines = run.stdout.split('\n').filter((line) => / METRIC +trial 1: /.test(line));
    expect(metricLines.map((line) => /epoch (\d+):/.exec(line)?.[1])).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
    expect(metricLines[5]).toMatch(
      /loss=[\d.]+ accuracy=[\d.]+ val_loss=[\d.]+ val_accuracy=[\d.]+$/,
    );
    expect(run.stdout).toMatch(
      / INFO +trial 1: Model exported to gs:\/\/demo\/jobs\/iris_1\/model\n/,
    );
    const described = await served.run(['jobs', 'describe', 'iris_1', '--format', 'json']);
    const job = JSON.parse(described.stdout) as Job;
    expect(job).toMatchObject({
      jobId: 'iris_1',
      state: 'SUCCEEDED',
      trainingOutput: {
        modelDir: 'gs://demo/jobs/iris_1/model',
        isBuiltInAlgorithmJob: true,
        builtInAlgorithmOutput: {
          framework: 'TENSORFLOW',
          runtimeVersion: '2.11',
          pythonVersion: '3.7',
          modelPath: 'gs://demo/jobs/iris_1/model',
        },
      },
    });
    expect(job.trainingOutput?.completedTrialCount).toBeUndefined();
    const yaml = await served.run(['jobs', 'describe', 'iris_1']);
    expect(parseAllDocuments(yaml.stdout)[0]?.toJS()).toEqual(job);
  }, 120_000);

  it('lists jobs in every --format and filters them', async () => {
    const submitted = await served.run([...builtin('queued_1', 1), '--labels', 'team=x,tier=gold']);
    expect(submitted.code).toBe(0);
    expect(submitted.stdout).toBe('jobId: queued_1\nstate: QUEUED\n');
    const value = await served.run([
      'jobs',
      'list',
      '--filter',
      'labels.team=x',
      '--format',
      'value(jobId,labels)',
    ]);
    expect(value.stdout).toBe('queued_1\tteam=x,tier=gold\n');
    const json = JSON.parse(
      (await served.run(['jobs', 'list', '--format', 'json'])).stdout,
    ) as Job[];
    expect(json.map((job) => job.jobId)).toEqual(['queued_1', 'iris_1']);
    const yaml = parseAllDocuments((await served.run(['jobs', 'list', '--format', 'yaml'])).stdout);
    expect(yaml.map((doc) => (doc.toJS() as Job).jobId)).toEqual(['queued_1', 'iris_1']);
    const table = (
      await served.run(['jobs', 'list', '--limit', '1', '--page-size', '1'])
    ).stdout.split('\n');
    expect(table[0]).toMatch(/^JOB_ID +STATUS +CREATED +TYPE$/);
    expect(table[1]).toMatch(
      /^queued_1 +(QUEUED|PREPARING|RUNNING|SUCCEEDED) +\d{4}-\d\d-\d\dT\S+ +training$/,
    );
    expect(table).toHaveLength(3);
    const picked = await served.run([
      'jobs',
      'list',
      '--filter',
      'state=SUCCEEDED',
      '--format',
      'table(jobId,trainingInput.builtinAlgorithm.epochs)',
    ]);
    const cells = picked.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/ +/));
    expect(cells[0]).toEqual(['JOB_ID', 'EPOCHS']);
    expect(cells).toContainEqual(['iris_1', '6']);
  }, 60_000);

  it('cancels a running job; stream-logs then exits 1 naming the final state', async () => {
    expect((await served.run(builtin('long_1', 5000))).code).toBe(0);
    const cancelled = await served.run(['jobs', 'cancel', 'long_1']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(/^jobId: long_1\nstate: CANCELL(ING|ED)\n$/);
    const streamed = await served.run(['jobs', 'stream-logs', 'long_1', '--format', 'json']);
    expect(streamed.code).toBe(1);
    expect(streamed.stderr).toBe(
      'ERROR: (stratus.jobs.stream-logs) Job [long_1] ended CANCELLED\n',
    );
    for (const line of streamed.stdout.trim().split('\n').filter(Boolean)) {
      expect(['log', 'metric']).toContain((JSON.parse(line) as { type: string }).type);
    }
  }, 120_000);

  it('tunes three trials from a --config file; describe --summarize sorts them by objective', async () => {
    await writeFile(join(served.dir, 'tuning.yaml'), TUNING_YAML);
    const run = await served.run([
      '--quiet',
      'jobs',
      'submit',
      'training',
      'tuned_1',
      '--config',
      'tuning.yaml',
      '--stream-logs',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const summary = await served.run(['jobs', 'describe', 'tuned_1', '--summarize']);
    expect(summary.stdout).toMatch(/^jobId: +tuned_1\nstate: +SUCCEEDED\n/);
    expect(summary.stdout).toMatch(/\ngoal: +MAXIMIZE\n/);
    expect(summary.stdout).toContain(
      '\nTrials (best val_accuracy first):\nTRIAL  STATE      VAL_ACCURACY  STEP  learningRate',
    );
    const rows = await served.run([
      'jobs',
      'describe',
      'tuned_1',
      '--summarize',
      '--format',
      'value(trialId,objective)',
    ]);
    const objectives = rows.stdout
      .trim()
      .split('\n')
      .map((line) => Number(line.split('\t')[1]));
    expect(objectives).toHaveLength(3);
    expect([...objectives].sort((a, b) => b - a)).toEqual(objectives);
    const best = /\nbestTrialId: +(\d+)\n/.exec(summary.stdout)?.[1];
    expect(rows.stdout.split('\t')[0]).toBe(best);
    const json = JSON.parse(
      (await served.run(['jobs', 'describe', 'tuned_1', '--summarize', '--format', 'json'])).stdout,
    ) as { overview: { labels?: unknown; completedTrialCount: string }; trials: unknown[] };
    expect(json.overview.completedTrialCount).toBe('3');
    expect(json.trials).toHaveLength(3);
  }, 180_000);

  it('packs --package-path, uploads it to {jobDir}/packages/ and runs the custom trainer', async () => {
    const run = await served.run([
      'jobs',
      'submit',
      'training',
      'custom_1',
      '--job-dir',
      'gs://demo/jobs/custom_1',
      '--package-path',
      EXAMPLE_TRAINER,
      '--module-name',
      'trainer/task.mjs',
      '--stream-logs',
      '--',
      '--epochs=4',
    ]);
    expect(run.stderr).toContain(
      'Uploading stratus-example-custom-trainer-1.0.0.tgz to gs://demo/jobs/custom_1/packages/stratus-example-custom-trainer-1.0.0.tgz\n',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/trial 1: epoch 4: accuracy=[\d.]+\n/);
    const listed = await served.run(['storage', 'ls', '-r', 'gs://demo/jobs/custom_1']);
    expect(listed.stdout).toContain(
      'gs://demo/jobs/custom_1/packages/stratus-example-custom-trainer-1.0.0.tgz\n',
    );
    expect(listed.stdout).toContain('gs://demo/jobs/custom_1/model/model.json\n');
    const job = JSON.parse(
      (await served.run(['jobs', 'describe', 'custom_1', '--format', 'json'])).stdout,
    ) as Job;
    expect(job.trainingInput?.args).toEqual(['--epochs=4']);
  }, 120_000);
});
