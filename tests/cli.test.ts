/**
 * The `stratus` command as a user runs it (issue 7's "Done when"): every
 * command is its own child process, against `stratus serve` running as
 * another child process with its own STRATUS_HOME and Redis prefix.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IRIS_INSTANCES, unusedPort, writeIrisCsv } from '@stratus/cli/testing';
import type { Job } from '@stratus/spec';
import { startServedCli, type ServedCli } from './support/stratus-cli.js';

const IRIS_JOB_YAML = `
trainingInput:
  jobDir: gs://demo/jobs/iris_cli
  builtinAlgorithm:
    name: dnn_classifier
    trainingData: gs://demo/data/iris.csv
    labelColumn: species
    epochs: 10
    learningRate: 0.05
    seed: 7
labels:
  team: demo
`;

const TUNING_YAML = `
jobDir: gs://demo/jobs/tuned_cli
builtinAlgorithm:
  name: dnn_classifier
  trainingData: gs://demo/data/iris.csv
  labelColumn: species
  epochs: 2
hyperparameters:
  goal: MAXIMIZE
  hyperparameterMetricTag: val_accuracy
  maxTrials: 2
  maxParallelTrials: 2
  algorithm: RANDOM_SEARCH
  params:
    - {parameterName: learningRate, type: DOUBLE, minValue: 0.001, maxValue: 0.1, scaleType: UNIT_LOG_SCALE}
`;

let served: ServedCli;
const file = (name: string): string => join(served.dir, name);

beforeAll(async () => {
  served = await startServedCli();
  await Promise.all([
    writeIrisCsv(file('iris.csv')),
    writeFile(file('job.yaml'), IRIS_JOB_YAML),
    writeFile(file('tuning.yaml'), TUNING_YAML),
    writeFile(file('instances.jsonl'), `${IRIS_INSTANCES}\n`),
    writeFile(file('bad.yaml'), 'trainingInput:\n  jobDir: gs://b/j\n   region: x\n'),
  ]);
}, 120_000);

afterAll(async () => {
  if (served !== undefined) expect(await served.stop()).toBe(0);
}, 60_000);

describe('the stratus binary against a running all-in-one server', () => {
  it('uploads Iris, trains it with --stream-logs, deploys the job and predicts the three species', async () => {
    const upload = await served.stratus([
      'storage',
      'cp',
      file('iris.csv'),
      'gs://demo/data/iris.csv',
    ]);
    expect(upload.code).toBe(0);
    const trained = await served.stratus([
      'jobs',
      'submit',
      'training',
      'iris_cli',
      '--config',
      file('job.yaml'),
      '--stream-logs',
    ]);
    expect(trained.stderr).toContain(
      'Job [iris_cli] SUCCEEDED; model: gs://demo/jobs/iris_cli/model.\n',
    );
    expect(trained.code).toBe(0);
    expect(trained.stdout).toMatch(/ METRIC +trial 1: epoch 10: loss=/);

    const described = await served.stratus(['jobs', 'describe', 'iris_cli', '--format', 'json']);
    expect(described.code).toBe(0);
    expect(JSON.parse(described.stdout) as Job).toMatchObject({
      jobId: 'iris_cli',
      state: 'SUCCEEDED',
      labels: { team: 'demo' },
      trainingOutput: { modelDir: 'gs://demo/jobs/iris_cli/model' },
    });

    expect((await served.stratus(['models', 'create', 'iris'])).code).toBe(0);
    const version = await served.stratus([
      'versions',
      'create',
      'v1',
      '--model',
      'iris',
      '--from-job',
      'iris_cli',
      '--format',
      'value(state,isDefault)',
    ]);
    expect(version.stdout).toBe('READY\ttrue\n');
    expect(version.code).toBe(0);

    const predicted = await served.stratus([
      'predict',
      '--model',
      'iris',
      '--json-instances',
      file('instances.jsonl'),
    ]);
    expect(predicted.code).toBe(0);
    const rows = predicted.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^LABEL +PROBABILITIES$/);
    expect(rows.slice(1).map((row) => row.split(/\s+/)[0])).toEqual([
      'setosa',
      'versicolor',
      'virginica',
    ]);
    const piped = await served.stratus(
      [
        'predict',
        '--model',
        'iris',
        '--version',
        'v1',
        '--json-instances',
        '-',
        '--format',
        'value(label)',
      ],
      { stdin: IRIS_INSTANCES },
    );
    expect(piped).toEqual({ code: 0, stdout: 'setosa\nversicolor\nvirginica\n', stderr: '' });

    // The same three flowers as a batch prediction job: the same labels, one record each.
    const keyed = IRIS_INSTANCES.split('\n').map((line, i) =>
      JSON.stringify({ key: `flower${i}`, ...(JSON.parse(line) as object) }),
    );
    await writeFile(file('batch.jsonl'), `${keyed.join('\n')}\n`);
    const staged = await served.stratus([
      'storage',
      'cp',
      file('batch.jsonl'),
      'gs://demo/batch/in.jsonl',
    ]);
    expect(staged.code).toBe(0);
    const scored = await served.stratus([
      ...['jobs', 'submit', 'prediction', 'batch_cli', '--model', 'iris'],
      ...['--input-paths', 'gs://demo/batch/in.jsonl', '--output-path', 'gs://demo/batch/out/'],
      ...['--data-format', 'json', '--region', 'local', '--stream-logs'],
    ]);
    expect(scored.stderr).toContain(
      'Job [batch_cli] SUCCEEDED; output: gs://demo/batch/out/ (3 predictions, 0 errors).\n',
    );
    expect(scored.code).toBe(0);
    expect(scored.stdout).toMatch(
      /(^|\n)SUCCEEDED 3\/3 rows \(100%\) \d+ rows\/s, shards 1\/1, 3 predictions, 0 errors\n$/,
    );
    const fetched = await served.stratus([
      'storage',
      'cp',
      'gs://demo/batch/out/prediction.results-00000-of-00001',
      file('results.jsonl'),
    ]);
    expect(fetched.code).toBe(0);
    const results = (await readFile(file('results.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { key: string; prediction: { label: string } });
    expect(results.map((record) => [record.key, record.prediction.label])).toEqual([
      ['flower0', 'setosa'],
      ['flower1', 'versicolor'],
      ['flower2', 'virginica'],
    ]);
  }, 180_000);

  it('tunes two trials from a --config file; describe --summarize prints the trials table', async () => {
    const tuned = await served.stratus([
      '--quiet',
      'jobs',
      'submit',
      'training',
      'tuned_cli',
      '--config',
      file('tuning.yaml'),
      '--stream-logs',
    ]);
    expect(tuned.stderr).toBe('');
    expect(tuned.code).toBe(0);
    const summary = await served.stratus(['jobs', 'describe', 'tuned_cli', '--summarize']);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toMatch(/^jobId: +tuned_cli\nstate: +SUCCEEDED\n/);
    const table = summary.stdout
      .split('\nTrials (best val_accuracy first):\n')[1]
      ?.trim()
      .split('\n');
    expect(table?.[0]).toMatch(/^TRIAL +STATE +VAL_ACCURACY +STEP +learningRate\b/);
    expect(table?.slice(1).map((row) => row.split(/\s+/).slice(1, 2))).toEqual([
      ['SUCCEEDED'],
      ['SUCCEEDED'],
    ]);
  }, 180_000);

  it('packs --package-path examples/custom-trainer and runs its module to SUCCEEDED', async () => {
    const run = await served.stratus([
      'jobs',
      'submit',
      'training',
      'custom_cli',
      '--job-dir',
      'gs://demo/jobs/custom_cli',
      '--package-path',
      'examples/custom-trainer',
      '--module-name',
      'trainer/task.mjs',
      '--stream-logs',
      '--',
      '--epochs=2',
    ]);
    expect(run.stderr).toContain(
      'Uploading stratus-example-custom-trainer-1.0.0.tgz to gs://demo/jobs/custom_cli/packages/stratus-example-custom-trainer-1.0.0.tgz\n',
    );
    expect(run.stderr).toContain('Job [custom_cli] SUCCEEDED');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/trial 1: epoch 2: accuracy=[\d.]+\n/);
  }, 120_000);

  it('answers bad input with one line and exit 2 (usage) or 1 (error)', async () => {
    const port = await unusedPort();
    const [unknownFlag, missingFlag, unreadable, invalidYaml, down] = await Promise.all([
      served.stratus(['versions', 'list', '--model', 'iris', '--bogus']),
      served.stratus(['predict', '--json-instances', file('instances.jsonl')]),
      served.stratus(['jobs', 'submit', 'training', 'bad_1', '--config', 'tests']),
      served.stratus(['jobs', 'submit', 'training', 'bad_2', '--config', file('bad.yaml')]),
      served.stratus(['--api-url', `http://127.0.0.1:${port}`, 'models', 'list']),
    ]);
    expect(unknownFlag).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: (stratus.versions.list) unknown option '--bogus'\n",
    });
    expect(missingFlag).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: (stratus.predict) required option '--model <model>' not specified\n",
    });
    expect(unreadable).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: (stratus.jobs.submit.training) INVALID_ARGUMENT: --config tests cannot be read (EISDIR)\n',
    });
    expect(invalidYaml.code).toBe(1);
    expect(invalidYaml.stdout).toBe('');
    expect(invalidYaml.stderr).toMatch(
      /^ERROR: \(stratus\.jobs\.submit\.training\) INVALID_ARGUMENT: --config \S+bad\.yaml is not valid YAML at line 2, column 11: [^\n]+\n$/,
    );
    expect(down).toEqual({
      code: 1,
      stdout: '',
      stderr: `ERROR: (stratus.models.list) CONNECTION_FAILED: Cannot reach http://127.0.0.1:${port}: fetch failed (ECONNREFUSED)\n`,
    });
  }, 60_000);
});
