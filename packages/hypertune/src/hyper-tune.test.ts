import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HyperTune } from './hyper-tune.js';
import { readMetricsFile } from './read-metrics.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hypertune-class-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('HyperTune', () => {
  it('mirrors report_hyperparameter_tuning_metric(hyperparameter_metric_tag, metric_value, global_step)', async () => {
    const file = path.join(dir, 'hypertune', 'output.metrics');
    const hpt = new HyperTune({
      env: { CLOUD_ML_HP_METRIC_FILE: file, CLOUD_ML_TRIAL_ID: '4' },
      now: () => 1_525_851_440_500,
    });
    expect([hpt.metricPath, hpt.trialId]).toEqual([file, '4']);
    hpt.reportHyperparameterTuningMetric({
      hyperparameterMetricTag: 'accuracy',
      metricValue: 0.93,
      globalStep: 12,
    });
    hpt.reportHyperparameterTuningMetric({ hyperparameterMetricTag: '', metricValue: 2 });
    expect(await readFile(file, 'utf8')).toBe(
      '{"accuracy": "0.93", "checkpoint_path": "", "global_step": "12", "timestamp": 1525851440.5, "trial": "4"}\n' +
        '{"checkpoint_path": "", "global_step": "0", "timestamp": 1525851440.5, "training/hptuning/metric": "2.0", "trial": "4"}\n',
    );
  });

  it('reads the environment when it is made, as the Python class does', async () => {
    const first = path.join(dir, 'first');
    const env: Record<string, string> = { CLOUD_ML_HP_METRIC_FILE: first };
    const hpt = new HyperTune({ env });
    env.CLOUD_ML_HP_METRIC_FILE = path.join(dir, 'second');
    hpt.reportHyperparameterTuningMetric({ hyperparameterMetricTag: 'loss', metricValue: 0.5 });
    expect(await readMetricsFile(first)).toMatchObject([{ tag: 'loss', value: 0.5, trial: '0' }]);
  });

  it('refuses a metric value that is not a number', () => {
    const hpt = new HyperTune({ env: { CLOUD_ML_HP_METRIC_FILE: path.join(dir, 'm') } });
    expect(() =>
      hpt.reportHyperparameterTuningMetric({ metricValue: 'high' as unknown as number }),
    ).toThrow('hypertune: value must be a number, got string');
  });
});
