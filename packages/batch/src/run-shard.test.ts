import { shardOutputNames, type PredictionShard } from '@stratus/spec';
import { describe, expect, it } from 'vitest';
import { readRecords, summingModel, useTempStorage } from './batch-fixture.test-support.js';
import { outputUri } from './output-state.js';
import { planPrediction } from './plan-prediction.js';
import type { PredictRows } from './row-outcome.js';
import { runShard, type RunShardOptions } from './run-shard.js';

const temp = useTempStorage();

const OUT = 'gs://outputs/job';

/** The one shard of a small file. */
const onlyShard = async (
  uri: string,
  dataFormat: 'JSON' | 'TEXT' | 'CSV',
): Promise<PredictionShard> => {
  const { shards } = await planPrediction(
    temp.storage(),
    { dataFormat, inputPaths: [uri] },
    { shardBytes: 1 << 30 },
  );
  expect(shards).toHaveLength(1);
  return shards[0] as PredictionShard;
};

const outputs = (shard: PredictionShard) => {
  const names = shardOutputNames(shard.index, shard.count);
  return { results: outputUri(OUT, names.results), errors: outputUri(OUT, names.errors) };
};

const options = (overrides: Partial<RunShardOptions> = {}): RunShardOptions => ({
  dataFormat: 'JSON',
  outputPath: OUT,
  batchSize: 8,
  ...overrides,
});

describe('runShard', () => {
  it('writes one keyed result per row and hands the model the instance without its key', async () => {
    const storage = temp.storage();
    const rows = Array.from({ length: 20 }, (_, i) => `{"key":"k${i}","a":${i},"b":1}`);
    await storage.write('gs://inputs/keyed.jsonl', `${rows.join('\n')}\n`);
    const shard = await onlyShard('gs://inputs/keyed.jsonl', 'JSON');
    const model = summingModel();
    const progress: number[] = [];

    const counts = await runShard(
      storage,
      shard,
      options({ onProgress: (done) => progress.push(done) }),
      model.predict,
    );

    expect(counts).toEqual({ predictionCount: 20, errorCount: 0 });
    expect(model.batches.map((batch) => batch.length)).toEqual([8, 8, 4]);
    expect(model.batches[0]?.[3]).toEqual({ a: 3, b: 1 });
    expect(progress).toEqual([8, 16, 20]);
    const results = await readRecords(storage, outputs(shard).results);
    expect(results).toEqual(
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, prediction: { sum: i + 1 } })),
    );
    expect(await readRecords(storage, outputs(shard).errors)).toEqual([]);
  });

  it('adds each phase of the shard to the timings it is given, the model calls to predictMs', async () => {
    const storage = temp.storage();
    const rows = Array.from({ length: 40 }, (_, i) => `{"key":"k${i}","a":${i}}`);
    await storage.write('gs://inputs/timed.jsonl', `${rows.join('\n')}\n`);
    const shard = await onlyShard('gs://inputs/timed.jsonl', 'JSON');
    const model = summingModel();
    let insideModelMs = 0;
    const timed: PredictRows = async (instances) => {
      const start = performance.now();
      const outcomes = await model.predict(instances);
      insideModelMs += performance.now() - start;
      return outcomes;
    };
    const timings = { readMs: 0, parseMs: 0, predictMs: 0, writeMs: 0 };

    const started = performance.now();
    const counts = await runShard(storage, shard, options({ timings }), timed);
    const wallMs = performance.now() - started;

    expect(counts).toEqual({ predictionCount: 40, errorCount: 0 });
    expect(model.batches.map((batch) => batch.length)).toEqual([8, 8, 8, 8, 8]);
    expect(Object.values(timings).every((ms) => Number.isFinite(ms) && ms >= 0)).toBe(true);
    expect(timings.predictMs).toBeGreaterThanOrEqual(insideModelMs);
    expect(
      timings.readMs + timings.parseMs + timings.predictMs + timings.writeMs,
    ).toBeLessThanOrEqual(wallMs);
  });

  it('gives 3 malformed lines among 100 as 3 error records with their line numbers', async () => {
    const storage = temp.storage();
    const bad = new Set([5, 50, 97]);
    const lines = Array.from({ length: 100 }, (_, i) =>
      bad.has(i + 1) ? `{"x": ${i + 1},` : `{"x":${i + 1}}`,
    );
    // A blank line is no row: it gives no record, but the line numbers after it still count it.
    lines.splice(60, 0, '');
    await storage.write('gs://inputs/rows.jsonl', `${lines.join('\n')}\n`);
    const shard = await onlyShard('gs://inputs/rows.jsonl', 'JSON');

    const counts = await runShard(storage, shard, options(), summingModel().predict);

    expect(counts).toEqual({ predictionCount: 97, errorCount: 3 });
    const errors = (await readRecords(storage, outputs(shard).errors)) as Array<{
      source: { uri: string; line: number };
      error: string;
    }>;
    expect(errors.map((record) => record.source)).toEqual([
      { uri: 'gs://inputs/rows.jsonl', line: 5 },
      { uri: 'gs://inputs/rows.jsonl', line: 50 },
      { uri: 'gs://inputs/rows.jsonl', line: 98 },
    ]);
    expect(errors.every((record) => record.error.startsWith('invalid JSON: '))).toBe(true);
    expect(errors.every((record) => !('key' in record))).toBe(true);
    const results = (await readRecords(storage, outputs(shard).results)) as Array<{
      source: { line: number };
      prediction: { sum: number };
    }>;
    expect(results).toHaveLength(97);
    // Unkeyed rows are named by their line; x is the row's 1-based index, one less past the blank line.
    for (const record of results) {
      const { line } = record.source;
      expect(record.prediction.sum).toBe(line > 61 ? line - 1 : line);
    }
  });

  it('reads CSV against its header, passes the key column through and reports bad rows', async () => {
    const storage = temp.storage();
    const csv = [
      'sepal,id,petal',
      '1.5,a1,2',
      '"2,5",a2,1', // a quoted field: "2,5" is no number, the model's error for that row
      '3,a3', // too few fields
      '4,"a""4",0.5',
      '5,a5,"unterminated',
      '',
    ].join('\r\n');
    await storage.write('gs://inputs/t.csv', csv);
    const shard = await onlyShard('gs://inputs/t.csv', 'CSV');
    const model = summingModel();

    const counts = await runShard(
      storage,
      shard,
      options({ dataFormat: 'CSV', keyField: 'id' }),
      model.predict,
    );

    expect(counts).toEqual({ predictionCount: 2, errorCount: 3 });
    expect(model.batches).toEqual([
      [
        { sepal: '1.5', petal: '2' },
        { sepal: '2,5', petal: '1' },
        { sepal: '4', petal: '0.5' },
      ],
    ]);
    expect(await readRecords(storage, outputs(shard).results)).toEqual([
      { key: 'a1', prediction: { sum: 3.5 } },
      { key: 'a"4', prediction: { sum: 4.5 } },
    ]);
    const source = (line: number) => ({ uri: 'gs://inputs/t.csv', line });
    const errors = (await readRecords(storage, outputs(shard).errors)) as Array<
      Record<string, unknown>
    >;
    expect(errors).toEqual([
      { source: source(4), key: 'a3', error: 'has 2 field(s); the header has 3 column(s)' },
      { source: source(6), error: expect.stringMatching(/^not a CSV record: /) as unknown },
      { source: source(3), key: 'a2', error: 'expects numbers, got "2,5"' },
    ]);
  });

  it('writes CSV results: key, uri and line columns, then the prediction’s fields', async () => {
    const storage = temp.storage();
    await storage.write(
      'gs://inputs/mixed.jsonl',
      '{"key":"k,1","x":1}\n{"x":2}\n{"key":7,"x":3}\n',
    );
    const shard = await onlyShard('gs://inputs/mixed.jsonl', 'JSON');
    const predict: PredictRows = (instances) =>
      Promise.resolve(
        instances.map((_, i) => ({
          prediction: { label: i === 1 ? 'say "hi"' : 'ok', scores: [i, 0.5], missing: null },
        })),
      );

    await runShard(storage, shard, options({ outputDataFormat: 'CSV' }), predict);

    const text = (await storage.read(outputs(shard).results)).toString('utf8');
    expect(text).toBe(
      [
        'key,uri,line,label,scores,missing',
        '"k,1",gs://inputs/mixed.jsonl,1,ok,"[0,0.5]",',
        ',gs://inputs/mixed.jsonl,2,"say ""hi""","[1,0.5]",',
        '7,gs://inputs/mixed.jsonl,3,ok,"[2,0.5]",',
        '',
      ].join('\n'),
    );
  });

  it('reads TEXT lines as string instances and records the model’s per-row errors', async () => {
    const storage = temp.storage();
    await storage.write('gs://inputs/words.txt', 'alpha\r\nbeta\n  \ngamma');
    const shard = await onlyShard('gs://inputs/words.txt', 'TEXT');
    const predict: PredictRows = (instances) =>
      Promise.resolve(
        instances.map((word) =>
          word === 'beta' ? { error: 'no beta allowed' } : { prediction: String(word).length },
        ),
      );

    const counts = await runShard(storage, shard, options({ dataFormat: 'TEXT' }), predict);

    expect(counts).toEqual({ predictionCount: 2, errorCount: 1 });
    const source = (line: number) => ({ uri: 'gs://inputs/words.txt', line });
    expect(await readRecords(storage, outputs(shard).results)).toEqual([
      { source: source(1), prediction: 5 },
      { source: source(4), prediction: 5 },
    ]);
    expect(await readRecords(storage, outputs(shard).errors)).toEqual([
      { source: source(2), error: 'no beta allowed' },
    ]);
  });

  it('gives every line of a multi-shard file exactly once over all its shards', async () => {
    const storage = temp.storage();
    const count = 2000;
    const lines = Array.from({ length: count }, (_, i) =>
      i % 3 === 0 ? `{"key":"r${i + 1}","x":${i + 1}}` : `{"x":${i + 1},"name":"ü€${i}"}`,
    );
    await storage.write('gs://inputs/big.jsonl', `${lines.join('\n')}\n`);
    const { shards, totalRows } = await planPrediction(
      storage,
      { dataFormat: 'JSON', inputPaths: ['gs://inputs/big.jsonl'] },
      { shardBytes: 3000 },
    );
    expect(shards.length).toBeGreaterThan(10);
    expect(totalRows).toBe(count);

    const predict: PredictRows = (instances) =>
      Promise.resolve(instances.map((instance) => ({ prediction: (instance as { x: number }).x })));
    const seen: number[] = [];
    for (const shard of shards) {
      const counts = await runShard(storage, shard, options({ batchSize: 7 }), predict);
      expect(counts).toEqual({ predictionCount: shard.rows, errorCount: 0 });
      const records = (await readRecords(storage, outputs(shard).results)) as Array<{
        key?: string;
        source?: { line: number };
        prediction: number;
      }>;
      for (const record of records) {
        const line = record.source?.line ?? Number(record.key?.slice(1));
        expect(record.prediction).toBe(line);
        seen.push(line);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  });

  it('gives every CSV row once over all shards of a file, as a result or an error, keyed', async () => {
    const storage = temp.storage();
    const count = 1500;
    // Line 1 is the header; row r (line r + 1) is bad when r % 100 === 0 (one field short).
    const rows = Array.from({ length: count }, (_, i) =>
      (i + 1) % 100 === 0 ? `${i + 1},id${i + 1}` : `${i + 1},id${i + 1},"x,${i}"`,
    );
    await storage.write('gs://inputs/big.csv', `n,id,note\n${rows.join('\n')}\n`);
    const { shards, totalRows } = await planPrediction(
      storage,
      { dataFormat: 'CSV', inputPaths: ['gs://inputs/big.csv'] },
      { shardBytes: 2000 },
    );
    expect(shards.length).toBeGreaterThan(5);
    expect(totalRows).toBe(count);
    const predict: PredictRows = (instances) =>
      Promise.resolve(instances.map((instance) => ({ prediction: (instance as { n: string }).n })));

    const keys: string[] = [];
    let errors = 0;
    for (const shard of shards) {
      const counts = await runShard(
        storage,
        shard,
        options({ dataFormat: 'CSV', keyField: 'id', outputDataFormat: 'CSV', batchSize: 16 }),
        predict,
      );
      expect(counts.predictionCount + counts.errorCount).toBe(shard.rows);
      const text = (await storage.read(outputs(shard).results)).toString('utf8');
      const [header, ...lines] = text.trimEnd().split('\n');
      expect(header).toBe('key,uri,line,prediction');
      for (const line of lines) {
        const [key, uri, lineNumber, prediction] = line.split(',');
        expect([uri, Number(lineNumber) - 1]).toEqual(['gs://inputs/big.csv', Number(prediction)]);
        keys.push(String(key));
      }
      for (const record of await readRecords(storage, outputs(shard).errors)) {
        const { key, source } = record as { key: string; source: { line: number } };
        expect(key).toBe(`id${source.line - 1}`);
        keys.push(key);
        errors += 1;
      }
    }
    expect(errors).toBe(15);
    expect(keys.sort()).toEqual(Array.from({ length: count }, (_, i) => `id${i + 1}`).sort());
  });

  it('replaces its own output when run again', async () => {
    const storage = temp.storage();
    await storage.write('gs://inputs/r.jsonl', '{"key":"a","x":1}\n{"key":"b","x":"bad"}\n');
    const shard = await onlyShard('gs://inputs/r.jsonl', 'JSON');
    await runShard(storage, shard, options(), summingModel().predict);
    expect(await readRecords(storage, outputs(shard).errors)).toHaveLength(1);

    const fixed: PredictRows = (instances) =>
      Promise.resolve(instances.map(() => ({ prediction: 'second run' })));
    const counts = await runShard(storage, shard, options(), fixed);

    expect(counts).toEqual({ predictionCount: 2, errorCount: 0 });
    expect(await readRecords(storage, outputs(shard).results)).toEqual([
      { key: 'a', prediction: 'second run' },
      { key: 'b', prediction: 'second run' },
    ]);
    expect(await readRecords(storage, outputs(shard).errors)).toEqual([]);
  });

  it('stops between batches once aborted, leaves the earlier output as it was and throws an AbortError', async () => {
    const storage = temp.storage();
    const rows = Array.from({ length: 40 }, (_, i) => `{"x":${i}}`).join('\n');
    await storage.write('gs://inputs/a.jsonl', `${rows}\n`);
    const shard = await onlyShard('gs://inputs/a.jsonl', 'JSON');
    const { results, errors } = outputs(shard);
    await storage.write(results, 'earlier results\n');
    await storage.write(errors, 'earlier errors\n');

    const controller = new AbortController();
    let calls = 0;
    const predict: PredictRows = (instances) => {
      calls += 1;
      if (calls === 2) controller.abort();
      return Promise.resolve(instances.map(() => ({ prediction: 1 })));
    };
    const error = await runShard(
      storage,
      shard,
      options({ signal: controller.signal }),
      predict,
    ).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
    expect(calls).toBe(2);
    expect((await storage.read(results)).toString()).toBe('earlier results\n');
    expect((await storage.read(errors)).toString()).toBe('earlier errors\n');
  });

  it('writes nothing when the model fails a batch or the object changed since planning', async () => {
    const storage = temp.storage();
    await storage.write('gs://inputs/c.jsonl', '{"x":1}\n{"x":2}\n{"x":3}\n');
    const shard = await onlyShard('gs://inputs/c.jsonl', 'JSON');
    const failing: PredictRows = () => Promise.reject(new Error('model crashed'));
    await expect(runShard(storage, shard, options({ batchSize: 2 }), failing)).rejects.toThrow(
      'model crashed',
    );
    const short: PredictRows = () => Promise.resolve([{ prediction: 1 }]);
    await expect(runShard(storage, shard, options(), short)).rejects.toThrow(
      'the model returned 1 outcomes for a batch of 3 instances',
    );
    await storage.write('gs://inputs/c.jsonl', '{"x":1}\n\n\n{"x":3}\n');
    await expect(runShard(storage, shard, options(), summingModel().predict)).rejects.toThrow(
      'gs://inputs/c.jsonl bytes [0, 24) hold 2 rows where the plan counted 3: the object changed after the job was planned',
    );
    expect(await storage.exists(outputs(shard).results)).toBe(false);
    expect(await storage.exists(outputs(shard).errors)).toBe(false);
    const model = summingModel();
    await expect(
      runShard(storage, shard, options({ outputPath: 'gs://outputs/../x' }), model.predict),
    ).rejects.toThrow('Invalid storage URI "gs://outputs/../x/prediction.results-00000-of-00001"');
    expect(model.batches).toEqual([]);
  });
});
