import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../cli.test-support.js';
import { IRIS_INSTANCES, unusedPort, writeIrisCsv } from '../sandbox.test-support.js';

describe('stratus local train / local predict (no server, no Redis)', () => {
  let sandbox: CliSandbox;
  beforeAll(async () => {
    sandbox = await cliSandbox({
      REDIS_URL: 'redis://127.0.0.1:1',
      // No API server: `storage cp` copies without claiming the bucket.
      STRATUS_API_URL: `http://127.0.0.1:${await unusedPort()}`,
    });
    await writeIrisCsv(join(sandbox.dir, 'iris.csv'));
  });
  afterAll(() => sandbox.cleanup());

  it('trains Iris from a local CSV, printing metrics every epoch, into a local job dir', async () => {
    const run = await sandbox.run([
      'local',
      'train',
      '--builtin-algorithm',
      'dnn_classifier',
      '--training-data',
      './iris.csv',
      '--label-column',
      'species',
      '--epochs',
      '30',
      '--learning-rate',
      '0.05',
      '--seed',
      '7',
      '--job-dir',
      'iris-out',
    ]);
    expect(run.stderr).toMatch(/^TensorFlow\.js backend: wasm/);
    expect(run.code).toBe(0);
    const metricLines = run.stdout.split('\n').filter((line) => line.startsWith('METRIC'));
    expect(metricLines).toHaveLength(30);
    expect(metricLines[0]).toMatch(
      /^METRIC {2}epoch 1: loss=[\d.]+ accuracy=[\d.]+ val_loss=[\d.]+ val_accuracy=[\d.]+$/,
    );
    const last = /val_accuracy=([\d.]+)$/.exec(metricLines[29] ?? '');
    expect(Number(last?.[1])).toBeGreaterThanOrEqual(0.9);
    const modelDir = join(sandbox.dir, 'iris-out', 'model');
    // The trainer's log names the local directory, not the scratch bucket it wrote through.
    expect(run.stdout).toContain(`Model exported to ${modelDir}`);
    expect(run.stdout).not.toContain('gs://stratus-local');
    expect(run.stderr).toContain(`Model exported to ${modelDir}\n`);
    expect((await readdir(modelDir)).sort()).toEqual([
      'group1-shard1of1.bin',
      'model.json',
      // The trainer also exports the model to ONNX (it passed the parity check).
      'model.onnx',
      'stratus.json',
    ]);
    const manifest = JSON.parse(await readFile(join(modelDir, 'stratus.json'), 'utf8')) as {
      preprocessing: { label: { classes: string[] } };
    };
    expect(manifest.preprocessing.label.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(await readdir(join(sandbox.dir, 'iris-out', 'checkpoints'))).toContain('epoch-000030');
  });

  it('predicts the three species from newline-delimited instances, from a file or stdin', async () => {
    await writeFile(join(sandbox.dir, 'instances.jsonl'), `${IRIS_INSTANCES}\n\n`);
    const table = await sandbox.run([
      'local',
      'predict',
      '--model-dir',
      'iris-out/model',
      '--json-instances',
      'instances.jsonl',
    ]);
    expect(table.code).toBe(0);
    const rows = table.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^LABEL {7}PROBABILITIES$/);
    expect(rows.slice(1).map((row) => row.split(/\s+/)[0])).toEqual([
      'setosa',
      'versicolor',
      'virginica',
    ]);
    const json = await sandbox.run(
      [
        'local',
        'predict',
        '--model-dir',
        join(sandbox.dir, 'iris-out', 'model'),
        '--json-instances',
        '-',
        '--format',
        'json',
      ],
      { stdin: IRIS_INSTANCES },
    );
    const { predictions } = JSON.parse(json.stdout) as {
      predictions: Array<{ label: string; probabilities: Record<string, number> }>;
    };
    expect(predictions.map((p) => p.label)).toEqual(['setosa', 'versicolor', 'virginica']);
    for (const p of predictions) {
      expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    const labels = await sandbox.run(
      [
        'local',
        'predict',
        '--model-dir',
        'iris-out/model',
        '--json-instances',
        '-',
        '--format',
        'value(label)',
      ],
      { stdin: IRIS_INSTANCES },
    );
    expect(labels.stdout).toBe('setosa\nversicolor\nvirginica\n');
  });

  it('reads gs:// data from the configured bucket and writes a gs:// job dir there', async () => {
    const upload = await sandbox.run(['storage', 'cp', 'iris.csv', 'gs://demo/data/iris.csv']);
    expect(upload.code).toBe(0);
    const train = await sandbox.run([
      '--quiet',
      'local',
      'train',
      '--builtin-algorithm',
      'linear_classifier',
      '--training-data',
      'gs://demo/data/iris.csv',
      '--label-column',
      'species',
      '--epochs',
      '2',
      '--job-dir',
      'gs://demo/jobs/local_1',
      '--format',
      'json',
    ]);
    expect(train.code).toBe(0);
    const lines = train.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines.filter((line) => line.type === 'metrics')).toHaveLength(2);
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      metricTag: 'val_accuracy',
      epochs: 2,
      modelDir: 'gs://demo/jobs/local_1/model',
    });
    const listed = await sandbox.run(['storage', 'ls', 'gs://demo/jobs/local_1/model']);
    expect(listed.stdout).toBe(
      [
        'gs://demo/jobs/local_1/model/group1-shard1of1.bin',
        'gs://demo/jobs/local_1/model/model.json',
        'gs://demo/jobs/local_1/model/model.onnx',
        'gs://demo/jobs/local_1/model/stratus.json',
        '',
      ].join('\n'),
    );
    const predicted = await sandbox.run(
      ['local', 'predict', '--model-dir', 'gs://demo/jobs/local_1/model', '--json-instances', '-'],
      { stdin: IRIS_INSTANCES },
    );
    expect(predicted.code).toBe(0);
    expect(predicted.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('names bad input: a bad instance line, a missing bundle, a missing data file', async () => {
    await writeFile(join(sandbox.dir, 'bad.jsonl'), '{"sepal_length": 5.1}\n{oops\n');
    const badLine = await sandbox.run([
      'local',
      'predict',
      '--model-dir',
      'iris-out/model',
      '--json-instances',
      'bad.jsonl',
    ]);
    expect(badLine.code).toBe(1);
    expect(badLine.stderr).toMatch(
      /^ERROR: \(stratus\.local\.predict\) INVALID_ARGUMENT: --json-instances bad\.jsonl line 2 is not JSON: /,
    );
    const both = await sandbox.run([
      'local',
      'predict',
      '--model-dir',
      'x',
      '--json-instances',
      'a',
      '--json-request',
      'b',
    ]);
    expect(both).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ERROR: (stratus.local.predict) give exactly one of --json-instances and --json-request\n',
    });
    const noBundle = await sandbox.run([
      'local',
      'predict',
      '--model-dir',
      'iris-out/checkpoints',
      '--json-instances',
      'instances.jsonl',
    ]);
    expect(noBundle.code).toBe(1);
    expect(noBundle.stderr).toContain(
      `ERROR: (stratus.local.predict) BUNDLE_INVALID: Model bundle ${join(sandbox.dir, 'iris-out', 'checkpoints')} is invalid: `,
    );
    const noData = await sandbox.run([
      'local',
      'train',
      '--builtin-algorithm',
      'dnn_classifier',
      '--training-data',
      'missing.csv',
      '--label-column',
      'species',
    ]);
    expect(noData).toMatchObject({
      code: 1,
      stderr:
        'ERROR: (stratus.local.train) INVALID_ARGUMENT: --training-data missing.csv: no such file or directory\n',
    });
    const badColumn = await sandbox.run([
      '--quiet',
      'local',
      'train',
      '--builtin-algorithm',
      'dnn_classifier',
      '--training-data',
      'iris.csv',
      '--label-column',
      'kind',
      '--epochs',
      '1',
    ]);
    expect(badColumn.code).toBe(1);
    expect(badColumn.stderr).toMatch(
      new RegExp(
        `^ERROR: \\(stratus\\.local\\.train\\) DATASET_INVALID: Dataset ${join(sandbox.dir, 'iris.csv')} is invalid: .*"kind"`,
      ),
    );
  });
});
