import { describe, expect, it } from 'vitest';
import { BUILTIN_ALGORITHMS, getBuiltinAlgorithm } from './builtin-algorithms.js';
import { parseSettingValue } from './builtin-fields.js';
import { resolveBuiltinParams } from './builtin-params.js';
import { thrown } from './errors.test-support.js';

describe('built-in algorithm registry', () => {
  it('describes each algorithm', () => {
    expect(Object.keys(BUILTIN_ALGORITHMS)).toEqual([
      'linear_classifier',
      'linear_regressor',
      'dnn_classifier',
      'dnn_regressor',
      'image_classifier',
    ]);
    expect(getBuiltinAlgorithm('linear_classifier')?.tunable).toEqual([
      'learningRate',
      'batchSize',
      'epochs',
      'optimizer',
      'l2',
    ]);
    expect(getBuiltinAlgorithm('dnn_regressor')).toMatchObject({
      task: 'regression',
      architecture: 'dnn',
      metrics: ['loss', 'val_loss', 'mae', 'val_mae', 'rmse', 'val_rmse'],
      defaultMetricTag: 'val_rmse',
      defaultGoal: 'MINIMIZE',
    });
    expect(getBuiltinAlgorithm('image_classifier')).toMatchObject({
      task: 'classification',
      architecture: 'cnn',
      input: 'image',
      defaultMetricTag: 'val_accuracy',
      defaultGoal: 'MAXIMIZE',
    });
    expect(getBuiltinAlgorithm('toString')).toBeUndefined();
  });
});

describe('parseSettingValue', () => {
  it.each([
    ['learningRate', '0.0123', 0.0123],
    ['learningRate', '1e-3', 0.001],
    ['batchSize', '32', 32],
    ['epochs', ' 7 ', 7],
    ['hiddenUnits', '32,16', [32, 16]],
    ['hiddenUnits', '[64, 32]', [64, 32]],
    ['hiddenUnits', '16', [16]],
    ['optimizer', 'rmsprop', 'rmsprop'],
    ['dropout', '0', 0],
  ] as const)('parses %s=%s', (field, raw, value) => {
    expect(parseSettingValue(field, raw)).toEqual({ value });
  });

  it.each([
    ['learningRate', '', 'must be a number (got "")'],
    ['learningRate', 'fast', 'must be a number (got "fast")'],
    ['learningRate', '0', 'must be > 0 and ≤ 10 (got 0)'],
    ['batchSize', '3.5', 'must be an integer ≥ 1 and ≤ 65536 (got 3.5)'],
    ['hiddenUnits', 'a,b', 'must be comma-separated integers such as "64,32" (got "a,b")'],
    ['hiddenUnits', '32,,16', 'must be comma-separated integers such as "64,32" (got "32,,16")'],
    ['hiddenUnits', '32,0', 'entries must be integers from 1 to 16384 (got 0)'],
    ['dropout', '1', 'must be ≥ 0 and < 1 (got 1)'],
    ['optimizer', 'lbfgs', 'must be one of adam, sgd, rmsprop, adagrad (got "lbfgs")'],
  ] as const)('rejects %s=%s', (field, raw, problem) => {
    expect(parseSettingValue(field, raw)).toEqual({ problem });
  });
});

describe('resolveBuiltinParams', () => {
  it('applies defaults for a linear model', () => {
    expect(
      resolveBuiltinParams({
        name: 'linear_classifier',
        trainingData: 'gs://d/x.csv',
        labelColumn: 'y',
      }),
    ).toEqual({
      name: 'linear_classifier',
      task: 'classification',
      architecture: 'linear',
      trainingData: 'gs://d/x.csv',
      labelColumn: 'y',
      validationSplit: 0.2,
      epochs: 10,
      batchSize: 32,
      learningRate: 0.01,
      hiddenUnits: [],
      dropout: 0,
      optimizer: 'adam',
      l2: 0,
      seed: 42,
      checkpointEveryEpochs: 1,
    });
  });

  it('lets trial hyperparameters override the job settings', () => {
    const resolved = resolveBuiltinParams(
      {
        name: 'dnn_classifier',
        trainingData: 'gs://d/x.csv',
        labelColumn: 'y',
        hiddenUnits: [8],
        learningRate: 0.5,
        seed: 7,
      },
      { hiddenUnits: '32,16', learningRate: '0.0123', optimizer: 'sgd', batchSize: '64' },
    );
    expect(resolved).toMatchObject({
      hiddenUnits: [32, 16],
      learningRate: 0.0123,
      optimizer: 'sgd',
      batchSize: 64,
      seed: 7,
      epochs: 10,
      dropout: 0,
    });
    expect(resolved.imageSize).toBeUndefined();
  });

  it('fills image settings for image_classifier', () => {
    expect(
      resolveBuiltinParams({ name: 'image_classifier', trainingData: 'gs://d/img/', channels: 3 }),
    ).toMatchObject({
      architecture: 'cnn',
      learningRate: 0.001,
      hiddenUnits: [64],
      imageSize: [28, 28],
      channels: 3,
    });
  });

  it.each([
    [
      { hiddenUnits: '8' },
      'Invalid value "8" for hyperparameter hiddenUnits: linear_classifier tunes only learningRate, batchSize, epochs, optimizer, l2',
    ],
    [{ l2: '-1' }, 'Invalid value "-1" for hyperparameter l2: must be ≥ 0 and ≤ 100 (got -1)'],
  ])('rejects override %j', (overrides, message) => {
    const err = thrown(() =>
      resolveBuiltinParams(
        { name: 'linear_classifier', trainingData: 'gs://d/x.csv', labelColumn: 'y' },
        overrides,
      ),
    );
    expect(err.reason).toBe('INVALID_HYPERPARAMETER_VALUE');
    expect(err.message).toBe(message);
  });
});
