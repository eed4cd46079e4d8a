import { shardOutputNames } from '@stratus/spec';
import { describe, expect, it } from 'vitest';
import { expectStratusError, useTempStorage } from './batch-fixture.test-support.js';
import { completedShards, outputProblems, outputUri } from './output-state.js';
import { planPrediction } from './plan-prediction.js';

const temp = useTempStorage();

/** `count` JSON lines `{"key":"k<i>","x":<i>}`, i from 1. */
const jsonLines = (count: number): string =>
  Array.from({ length: count }, (_, i) => `{"key":"k${i + 1}","x":${i + 1}}\n`).join('');

describe('planPrediction', () => {
  it('splits a file at line ends into shards whose rows sum to the file’s, numbered by line', async () => {
    const storage = temp.storage();
    // Blank lines (empty, spaces, a lone CR) are not rows but do count as lines.
    const lines = jsonLines(500).split('\n');
    lines.splice(100, 0, '', '   ');
    lines.splice(300, 0, '\r');
    const text = lines.join('\n');
    await storage.write('gs://inputs/data.jsonl', text);

    const { shards, totalRows } = await planPrediction(
      storage,
      { dataFormat: 'JSON', inputPaths: ['gs://inputs/data.jsonl'] },
      { shardBytes: 2000 },
    );

    expect(totalRows).toBe(500);
    expect(shards.length).toBeGreaterThan(5);
    expect(shards.reduce((sum, shard) => sum + shard.rows, 0)).toBe(500);
    const bytes = Buffer.from(text);
    const fileLines = text.split('\n');
    shards.forEach((shard, i) => {
      expect(shard).toMatchObject({
        index: i,
        count: shards.length,
        uri: 'gs://inputs/data.jsonl',
      });
      expect(shard.header).toBeUndefined();
      expect(shard.start).toBe(i === 0 ? 0 : shards[i - 1]?.end);
      expect(shard.end - shard.start).toBeGreaterThanOrEqual(i === shards.length - 1 ? 1 : 2000);
      const range = bytes.subarray(shard.start, shard.end).toString('utf8');
      expect(range.endsWith('\n')).toBe(true);
      const rangeLines = range.slice(0, -1).split('\n');
      expect(rangeLines[0]).toBe(fileLines[shard.firstLine - 1]);
      expect(rangeLines.filter((line) => line.trim() !== '').length).toBe(shard.rows);
    });
    expect(shards.at(-1)?.end).toBe(bytes.length);
  });

  it('counts a last line without a newline and keeps trailing blank lines in the last shard', async () => {
    const storage = temp.storage();
    await storage.write('gs://inputs/a.jsonl', '{"x":1}\n{"x":2}');
    await storage.write('gs://inputs/b.jsonl', '{"x":1}\n{"x":2}\n\n\n');
    const { shards, totalRows } = await planPrediction(
      storage,
      { dataFormat: 'JSON', inputPaths: ['gs://inputs/a.jsonl', 'gs://inputs/b.jsonl'] },
      { shardBytes: 8 },
    );
    expect(totalRows).toBe(4);
    expect(
      shards.map(({ uri, start, end, firstLine, rows }) => [uri, start, end, firstLine, rows]),
    ).toEqual([
      ['gs://inputs/a.jsonl', 0, 8, 1, 1],
      ['gs://inputs/a.jsonl', 8, 15, 2, 1],
      ['gs://inputs/b.jsonl', 0, 8, 1, 1],
      ['gs://inputs/b.jsonl', 8, 18, 2, 1],
    ]);
  });

  it('counts lines as the shard reader does: a byte-order mark alone is a blank line', async () => {
    const storage = temp.storage();
    await storage.write('gs://inputs/bom.jsonl', '\ufeff\n{"x":1}\n');
    const { shards } = await planPrediction(
      storage,
      { dataFormat: 'JSON', inputPaths: ['gs://inputs/bom.jsonl'] },
      { shardBytes: 100 },
    );
    expect(shards).toMatchObject([{ start: 0, firstLine: 1, rows: 1 }]);
  });

  it('expands * within a path segment, sorted and each object once, skipping empty objects', async () => {
    const storage = temp.storage();
    for (const name of [
      'day-1/part-1.jsonl',
      'day-1/part-0.jsonl',
      'day-1/part-2.csv',
      'day-1/sub/part-3.jsonl',
      'day-2/part-0.jsonl',
      'other/part-0.jsonl',
    ]) {
      await storage.write(`gs://inputs/${name}`, '{"x":1}\n');
    }
    await storage.write('gs://inputs/day-2/part-9.jsonl', '');

    const { shards } = await planPrediction(
      storage,
      {
        dataFormat: 'JSON',
        inputPaths: ['gs://inputs/day-*/part-*.jsonl', 'gs://inputs/day-1/part-0.jsonl'],
      },
      { shardBytes: 1 << 20 },
    );

    expect(shards.map((shard) => shard.uri)).toEqual([
      'gs://inputs/day-1/part-0.jsonl',
      'gs://inputs/day-1/part-1.jsonl',
      'gs://inputs/day-2/part-0.jsonl',
    ]);
    expect(shards.map((shard) => `${shard.index}/${shard.count}`)).toEqual(['0/3', '1/3', '2/3']);
  });

  it('keeps a CSV header out of the rows and gives it to every shard of the file', async () => {
    const storage = temp.storage();
    const rows = Array.from({ length: 50 }, (_, i) => `k${i + 1},${i},${i * 2}\n`).join('');
    await storage.write('gs://inputs/t.csv', `\ufeffkey,a,b\r\n${rows}`);
    await storage.write('gs://inputs/header-only.csv', 'key,a,b\n');

    const { shards, totalRows } = await planPrediction(
      storage,
      { dataFormat: 'CSV', inputPaths: ['gs://inputs/*.csv'] },
      { shardBytes: 100 },
    );

    expect(totalRows).toBe(50);
    expect(shards.length).toBeGreaterThan(3);
    expect(new Set(shards.map((shard) => shard.uri))).toEqual(new Set(['gs://inputs/t.csv']));
    expect(shards.every((shard) => shard.header === 'key,a,b')).toBe(true);
    expect(shards[0]).toMatchObject({
      start: Buffer.byteLength('\ufeffkey,a,b\r\n'),
      firstLine: 2,
    });
    expect(shards.reduce((sum, shard) => sum + shard.rows, 0)).toBe(50);
  });

  it('names the input path that matches nothing or is malformed', async () => {
    const storage = temp.storage();
    await storage.write('gs://inputs/a.jsonl', '{"x":1}\n');
    const plan = (inputPaths: string[]) =>
      planPrediction(storage, { dataFormat: 'JSON', inputPaths }, { shardBytes: 100 });

    const missing = await expectStratusError(
      plan(['gs://inputs/a.jsonl', 'gs://inputs/b-*.jsonl']),
      'INVALID_JOB_SPEC',
      'predictionInput.inputPaths[1]: no object matches "gs://inputs/b-*.jsonl"',
    );
    expect(missing).toMatchObject({
      violations: [{ field: 'predictionInput.inputPaths[1]' }],
    });
    await expectStratusError(
      plan(['gs://inputs/none.jsonl']),
      'INVALID_JOB_SPEC',
      'predictionInput.inputPaths[0]: no object matches',
    );
    await expectStratusError(
      plan(['s3://inputs/a.jsonl']),
      'INVALID_JOB_SPEC',
      'predictionInput.inputPaths[0]: "s3://inputs/a.jsonl" must start with gs://',
    );
    await expectStratusError(
      plan(['gs://inputs/../a.jsonl']),
      'INVALID_JOB_SPEC',
      'predictionInput.inputPaths[0]',
    );
    await expectStratusError(
      plan(['gs://inp*/a.jsonl']),
      'INVALID_JOB_SPEC',
      'a wildcard may not appear in the bucket name',
    );
  });

  it('refuses inputs without rows and the TFRecord formats', async () => {
    const storage = temp.storage();
    await storage.write('gs://inputs/blank.jsonl', '\n  \n\n');
    await storage.write('gs://inputs/empty.jsonl', '');
    await expectStratusError(
      planPrediction(
        storage,
        { dataFormat: 'JSON', inputPaths: ['gs://inputs/*.jsonl'] },
        { shardBytes: 100 },
      ),
      'INVALID_JOB_SPEC',
      'predictionInput.inputPaths: the 2 matching object(s) hold no non-blank lines',
    );
    await expectStratusError(
      planPrediction(
        storage,
        { dataFormat: 'TF_RECORD_GZIP', inputPaths: ['gs://inputs/blank.jsonl'] },
        { shardBytes: 100 },
      ),
      'INVALID_JOB_SPEC',
      'predictionInput.dataFormat: TF_RECORD_GZIP is not supported (Stratus has no TFRecord reader); supported formats are JSON, TEXT, CSV',
    );
  });
});

describe('output state', () => {
  it('reports an output path holding results, and which shards are complete', async () => {
    const storage = temp.storage();
    await storage.write('gs://inputs/data.jsonl', jsonLines(40));
    const { shards } = await planPrediction(
      storage,
      { dataFormat: 'JSON', inputPaths: ['gs://inputs/data.jsonl'] },
      { shardBytes: 200 },
    );
    expect(await outputProblems(storage, 'gs://outputs/run')).toEqual([]);
    expect(await completedShards(storage, 'gs://outputs/run/', shards)).toEqual([]);

    const count = shards.length;
    // Shard 1 finished; shard 3 wrote only its errors object (it was stopped before its results).
    await storage.write(outputUri('gs://outputs/run', shardOutputNames(1, count).errors), '');
    await storage.write(outputUri('gs://outputs/run', shardOutputNames(1, count).results), '{}\n');
    await storage.write(outputUri('gs://outputs/run', shardOutputNames(3, count).errors), '');
    // Another job's folder that merely shares the name prefix does not count.
    await storage.write(`gs://outputs/run-2/${shardOutputNames(0, count).results}`, '{}\n');

    expect(await completedShards(storage, 'gs://outputs/run', shards)).toEqual([1]);
    expect(await outputProblems(storage, 'gs://outputs/run/')).toEqual([
      {
        field: 'predictionInput.outputPath',
        reason: 'HOLDS_RESULTS',
        description: `"gs://outputs/run/" already holds 1 results object(s) (gs://outputs/run/${shardOutputNames(1, count).results}); choose another path, or set resume to finish that job`,
      },
    ]);
    expect(await outputProblems(storage, 'gs://Outputs/run')).toMatchObject([
      { field: 'predictionInput.outputPath', reason: 'INVALID_URI' },
    ]);
  });
});
