import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseMetricsText } from './metric-record.js';
import { readMetricsFile } from './read-metrics.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hypertune-read-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readMetricsFile', () => {
  it('reads a file written by the Python cloudml-hypertune package', async () => {
    const file = path.join(dir, 'output.metrics');
    await writeFile(
      file,
      '{"global_step": "1000", "my_metric_tag": "0.987", "timestamp": 1525851440.123456, "trial": "0"}\n' +
        '{"global_step": "1001", "my_metric_tag": "nan", "timestamp": 1525851441.5, "trial": "0"}\n',
    );
    const metrics = await readMetricsFile(file);
    expect(metrics).toHaveLength(2);
    expect(metrics[0]).toEqual({
      tag: 'my_metric_tag',
      value: 0.987,
      step: 1000,
      trial: '0',
      timestamp: 1525851440.123456,
      checkpointPath: '',
    });
    expect(metrics[1]?.value).toBeNaN();
  });

  it('is an empty list when the trainer never reported', async () => {
    expect(await readMetricsFile(path.join(dir, 'absent'))).toEqual([]);
  });

  it('skips a half-written last line and lines that are not metrics', async () => {
    const file = path.join(dir, 'output.metrics');
    await writeFile(
      file,
      '{"global_step": "1", "acc": "0.5", "timestamp": 1, "trial": "2"}\n' +
        'not json\n' +
        '[1, 2]\n' +
        '{"global_step": "x", "acc": "0.6"}\n' +
        '\n' +
        '{"global_step": "2", "acc": "0.7", "timestamp": 2, "trial": "2"}\n' +
        '{"global_step": "3", "acc": "0.',
    );
    const metrics = await readMetricsFile(file);
    expect(metrics.map((m) => [m.step, m.value])).toEqual([
      [1, 0.5],
      [2, 0.7],
    ]);
    const parsed = parseMetricsText('{"acc": "0.1"}\nnot json\n{"global_step": "3", "acc": "0.');
    expect(parsed.invalidLines).toBe(1);
    expect(parsed.pendingText).toBe('{"global_step": "3", "acc": "0.');
    expect(parsed.metrics).toHaveLength(1);
  });

  it('takes an unterminated last line that is already complete JSON', () => {
    const parsed = parseMetricsText('{"acc": "0.1", "global_step": "4"}');
    expect(parsed.metrics.map((m) => [m.tag, m.value, m.step])).toEqual([['acc', 0.1, 4]]);
    expect(parsed.pendingText).toBe('');
  });
});
