import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatPythonFloat } from './metric-record.js';
import { readMetricsFile } from './read-metrics.js';
import { reportHyperparameterTuningMetric } from './report-metric.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hypertune-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reportHyperparameterTuningMetric', () => {
  it('writes cloudml-hypertune lines (sorted keys, string values) to CLOUD_ML_HP_METRIC_FILE', async () => {
    const file = path.join(dir, 'nested', 'output.metrics');
    const env = { CLOUD_ML_HP_METRIC_FILE: file, CLOUD_ML_TRIAL_ID: '7' };
    const now = () => 1_525_851_440_123;
    reportHyperparameterTuningMetric({ tag: 'accuracy', value: 0.987, step: 1000 }, { env, now });
    reportHyperparameterTuningMetric({ tag: 'accuracy', value: 1, step: 1001.9 }, { env, now });
    reportHyperparameterTuningMetric(
      { tag: 'loss', value: 0.5, checkpointPath: '/ckpt/3' },
      { env, now },
    );
    // Byte for byte what Python's json.dumps(body, sort_keys=True) writes.
    expect(await readFile(file, 'utf8')).toBe(
      '{"accuracy": "0.987", "checkpoint_path": "", "global_step": "1000", "timestamp": 1525851440.123, "trial": "7"}\n' +
        '{"accuracy": "1.0", "checkpoint_path": "", "global_step": "1001", "timestamp": 1525851440.123, "trial": "7"}\n' +
        '{"checkpoint_path": "/ckpt/3", "global_step": "0", "loss": "0.5", "timestamp": 1525851440.123, "trial": "7"}\n',
    );
    expect(await readMetricsFile(file)).toEqual([
      {
        tag: 'accuracy',
        value: 0.987,
        step: 1000,
        trial: '7',
        timestamp: 1525851440.123,
        checkpointPath: '',
      },
      {
        tag: 'accuracy',
        value: 1,
        step: 1001,
        trial: '7',
        timestamp: 1525851440.123,
        checkpointPath: '',
      },
      {
        tag: 'loss',
        value: 0.5,
        step: 0,
        trial: '7',
        timestamp: 1525851440.123,
        checkpointPath: '/ckpt/3',
      },
    ]);
  });

  it('escapes non-ASCII and writes a whole-number timestamp as Python does', async () => {
    const file = path.join(dir, 'm');
    const env = { CLOUD_ML_HP_METRIC_FILE: file, CLOUD_ML_TRIAL_ID: '2' };
    reportHyperparameterTuningMetric(
      { tag: 'µ-loss', value: 0.25, step: 3, checkpointPath: '/é/\u{1F600}' },
      { env, now: () => 1_700_000_000_000 },
    );
    expect(await readFile(file, 'utf8')).toBe(
      '{"checkpoint_path": "/\\u00e9/\\ud83d\\ude00", "global_step": "3", "timestamp": 1700000000.0, "trial": "2", "\\u00b5-loss": "0.25"}\n',
    );
    const [metric] = await readMetricsFile(file);
    expect(metric).toMatchObject({ tag: 'µ-loss', value: 0.25, checkpointPath: '/é/\u{1F600}' });
  });

  it('keeps the newest 100 records in the file, as cloudml-hypertune does', async () => {
    const file = path.join(dir, 'm');
    const env = { CLOUD_ML_HP_METRIC_FILE: file };
    for (let step = 0; step < 150; step += 1) {
      reportHyperparameterTuningMetric({ tag: 'acc', value: step / 1000, step }, { env });
      if (step === 99) expect((await readMetricsFile(file)).map((m) => m.step)).toHaveLength(100);
    }
    const text = await readFile(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const steps = (await readMetricsFile(file)).map((m) => m.step);
    expect(steps).toEqual(Array.from({ length: 100 }, (_, i) => 50 + i));
    expect(await readdir(dir)).toEqual(['m']); // no temporary file left behind
  });

  it("uses cloudml-hypertune's default tag and trial id", async () => {
    const file = path.join(dir, 'm');
    reportHyperparameterTuningMetric({ value: 2 }, { env: { CLOUD_ML_HP_METRIC_FILE: file } });
    const [metric] = await readMetricsFile(file);
    expect(metric?.tag).toBe('training/hptuning/metric');
    expect(metric?.trial).toBe('0');
    expect(metric?.value).toBe(2);
  });

  it('rejects a value that is not a number and a negative step', () => {
    const env = { CLOUD_ML_HP_METRIC_FILE: path.join(dir, 'm') };
    expect(() =>
      reportHyperparameterTuningMetric({ tag: 'a', value: '0.5' as unknown as number }, { env }),
    ).toThrow('hypertune: value must be a number, got string');
    expect(() =>
      reportHyperparameterTuningMetric({ tag: 'a', value: 1, step: -1 }, { env }),
    ).toThrow('hypertune: step must be a finite number >= 0, got -1');
  });
});

describe('formatPythonFloat', () => {
  it("writes numbers as Python's str(float(x)) does", () => {
    const cases: Array<[number, string]> = [
      [0.987, '0.987'],
      [10, '10.0'],
      [-3, '-3.0'],
      [0, '0.0'],
      [-0, '-0.0'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1.5e17, '1.5e+17'],
      [1e16, '1e+16'],
      [0.1 + 0.2, '0.30000000000000004'],
      [Number.NaN, 'nan'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
    ];
    for (const [value, text] of cases) expect(formatPythonFloat(value)).toBe(text);
  });
});
