import { describe, expect, it } from 'vitest';
import {
  DEFAULT_METRIC_FILE,
  getCheckpointDir,
  getHyperparameters,
  getJobDir,
  getJobId,
  getMetricFilePath,
  getModelDir,
  getTrialId,
} from './trial-context.js';

describe('trial context', () => {
  const env = {
    STRATUS_JOB_ID: 'job_1',
    STRATUS_TRIAL_ID: '3',
    STRATUS_MODEL_DIR: '/w/model',
    STRATUS_CHECKPOINT_DIR: '/w/checkpoints',
    STRATUS_JOB_DIR: 'gs://b/env-dir',
    CLOUD_ML_HP_METRIC_FILE: '/w/metrics',
  };

  it('reads the ids and directories the runner sets', () => {
    expect(getJobId({ env })).toBe('job_1');
    expect(getTrialId({ env })).toBe('3');
    expect(getTrialId({ env: { ...env, CLOUD_ML_TRIAL_ID: '4' } })).toBe('4');
    expect(getModelDir({ env })).toBe('/w/model');
    expect(getCheckpointDir({ env })).toBe('/w/checkpoints');
    expect(getMetricFilePath({ env })).toBe('/w/metrics');
    expect(getMetricFilePath({ env: {} })).toBe(DEFAULT_METRIC_FILE);
    expect(getTrialId({ env: {} })).toBe('0');
    expect(getModelDir({ env: { STRATUS_MODEL_DIR: '' } })).toBeUndefined();
  });

  it('takes the job dir from --job-dir (either form), else STRATUS_JOB_DIR', () => {
    expect(getJobDir({ env, argv: ['--job-dir=gs://b/j'] })).toBe('gs://b/j');
    expect(getJobDir({ env, argv: ['--job-dir', 'gs://b/k', '--x=1'] })).toBe('gs://b/k');
    expect(getJobDir({ env, argv: ['--other=1'] })).toBe('gs://b/env-dir');
  });

  it('parses --name=value arguments; later ones override earlier ones', () => {
    const argv = [
      '--train-data=/data/a.csv',
      'positional',
      '--epochs=5',
      '--job-dir=gs://b/j',
      '--flag',
      '--expr=a=b',
      '--epochs=9',
    ];
    expect(getHyperparameters({ argv })).toEqual({
      'train-data': '/data/a.csv',
      epochs: '9',
      expr: 'a=b',
    });
  });
});
