import { describe, expect, it } from 'vitest';
import {
  customPackageJob as C,
  designExampleJob as D,
  edited,
  expectViolations,
  plainJob as P,
  type InvalidCase,
} from './jobs.test-support.js';

const HP = 'trainingInput.hyperparameters';

const INVALID: InvalidCase[] = [
  [
    'minValue ≥ maxValue',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params[0].minValue = 0.5;
    }),
    [[`${HP}.params[0].minValue`, 'minValue (0.5) must be less than maxValue (0.1)']],
  ],
  [
    'log scale with minValue ≤ 0',
    edited(C, (j) => {
      Object.assign(j.trainingInput.hyperparameters.params[0], {
        minValue: 0,
        scaleType: 'UNIT_LOG_SCALE',
      });
    }),
    [[`${HP}.params[0].minValue`, 'UNIT_LOG_SCALE requires minValue > 0 (got 0)']],
  ],
  [
    'reverse log scale with negative discrete value',
    edited(C, (j) => {
      Object.assign(j.trainingInput.hyperparameters.params[1], {
        discreteValues: [-1, 1],
        scaleType: 'UNIT_REVERSE_LOG_SCALE',
      });
    }),
    [[`${HP}.params[1].discreteValues[0]`, 'UNIT_REVERSE_LOG_SCALE requires values > 0']],
  ],
  [
    'INTEGER with fractional bound',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.params[0].minValue = 8.5;
    }),
    [[`${HP}.params[0].minValue`, 'must be an integer for type INTEGER (got 8.5)']],
  ],
  [
    'DOUBLE without maxValue',
    edited(D, (j) => {
      delete j.trainingInput.hyperparameters.params[0].maxValue;
    }),
    [[`${HP}.params[0].maxValue`, 'is required for type DOUBLE']],
  ],
  [
    'duplicate parameterName',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.params[2].parameterName = 'units';
    }),
    [[`${HP}.params[2].parameterName`, 'duplicate parameter "units" (also params[0])']],
  ],
  [
    'discreteValues not increasing',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.params[1].discreteValues = [0.01, 0.01, 0.1];
    }),
    [[`${HP}.params[1].discreteValues[1]`, 'strictly increasing: 0.01 follows 0.01']],
  ],
  [
    'discreteValues empty',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.params[1].discreteValues = [];
    }),
    [[`${HP}.params[1].discreteValues`, 'at least one value for type DISCRETE']],
  ],
  [
    'categorical with no values',
    edited(C, (j) => {
      delete j.trainingInput.hyperparameters.params[2].categoricalValues;
    }),
    [[`${HP}.params[2].categoricalValues`, 'at least one value for type CATEGORICAL']],
  ],
  [
    'categorical duplicate values',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.params[2].categoricalValues = ['relu', 'tanh', 'relu'];
    }),
    [[`${HP}.params[2].categoricalValues[2]`, 'duplicate value "relu" (also at [0])']],
  ],
  [
    'scaleType on CATEGORICAL',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.params[2].scaleType = 'UNIT_LINEAR_SCALE';
    }),
    [[`${HP}.params[2].scaleType`, 'does not apply to CATEGORICAL']],
  ],
  [
    'min/max on DISCRETE',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.params[1].minValue = 0;
    }),
    [[`${HP}.params[1].minValue`, 'only for DOUBLE and INTEGER, not DISCRETE']],
  ],
  [
    'maxParallelTrials > maxTrials',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.maxParallelTrials = 20;
    }),
    [[`${HP}.maxParallelTrials`, '20 exceeds maxTrials (12)']],
  ],
  [
    'maxParallelTrials > default maxTrials',
    edited(D, (j) => {
      delete j.trainingInput.hyperparameters.maxTrials;
    }),
    [[`${HP}.maxParallelTrials`, '3 exceeds maxTrials (1, the default)']],
  ],
  [
    'maxTrials < 1',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.maxTrials = 0;
    }),
    [[`${HP}.maxTrials`, 'must be at least 1 (got 0)']],
  ],
  [
    'grid search over a DOUBLE',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.algorithm = 'GRID_SEARCH';
    }),
    [[`${HP}.params[0].type`, 'GRID_SEARCH cannot enumerate a continuous DOUBLE range']],
  ],
  [
    'empty params',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params = [];
    }),
    [[`${HP}.params`, 'must list at least one parameter']],
  ],
  [
    'unknown parameter type',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params[0].type = 'FLOAT';
    }),
    [
      [
        `${HP}.params[0].type`,
        'must be one of DOUBLE, INTEGER, CATEGORICAL, DISCRETE (got "FLOAT")',
      ],
    ],
  ],
  [
    'builtin param the algorithm lacks',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params[1].parameterName = 'layers';
    }),
    [[`${HP}.params[1].parameterName`, 'dnn_classifier has no tunable field "layers"']],
  ],
  [
    'hiddenUnits tuned on a linear model',
    edited(P, (j) => {
      j.trainingInput.hyperparameters = {
        params: [{ parameterName: 'hiddenUnits', type: 'CATEGORICAL', categoricalValues: ['8'] }],
      };
    }),
    [[`${HP}.params[0].parameterName`, 'linear_regressor has no tunable field "hiddenUnits"']],
  ],
  [
    'categorical value that does not parse',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params[1].categoricalValues[1] = 'a,b';
    }),
    [[`${HP}.params[1].categoricalValues[1]`, 'hiddenUnits must be comma-separated integers']],
  ],
  [
    'categorical optimizer that does not exist',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params.push({
        parameterName: 'optimizer',
        type: 'CATEGORICAL',
        categoricalValues: ['adam', 'lbfgs'],
      });
    }),
    [
      [
        `${HP}.params[2].categoricalValues[1]`,
        'optimizer must be one of adam, sgd, rmsprop, adagrad',
      ],
    ],
  ],
  [
    'optimizer tuned as DOUBLE',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params.push({
        parameterName: 'optimizer',
        type: 'DOUBLE',
        minValue: 0,
        maxValue: 1,
      });
    }),
    [[`${HP}.params[2].type`, 'use CATEGORICAL']],
  ],
  [
    'batchSize tuned as DOUBLE',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params.push({
        parameterName: 'batchSize',
        type: 'DOUBLE',
        minValue: 8,
        maxValue: 64,
      });
    }),
    [[`${HP}.params[2].type`, 'batchSize takes integers']],
  ],
  [
    'tuned range outside the field range',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params[0].maxValue = 50;
    }),
    [[`${HP}.params[0].maxValue`, 'learningRate must be > 0 and ≤ 10 (got 50)']],
  ],
  [
    'metric the algorithm does not report',
    edited(P, (j) => {
      j.trainingInput.hyperparameters = {
        hyperparameterMetricTag: 'val_accuracy',
        params: [{ parameterName: 'l2', type: 'DOUBLE', minValue: 0, maxValue: 1 }],
      };
    }),
    [
      [
        `${HP}.hyperparameterMetricTag`,
        'linear_regressor reports loss, val_loss, mae, val_mae, rmse, val_rmse, not "val_accuracy"',
      ],
    ],
  ],
  [
    'goal against the metric',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.goal = 'MINIMIZE';
    }),
    [[`${HP}.goal`, 'val_accuracy is better when higher: goal must be MAXIMIZE, not MINIMIZE']],
  ],
  [
    'custom package without goal',
    edited(C, (j) => {
      delete j.trainingInput.hyperparameters.goal;
    }),
    [[`${HP}.goal`, 'is required for custom packages']],
  ],
  [
    'unknown field in a param',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.params[0].step = 1;
    }),
    [[`${HP}.params[0].step`, 'unknown field "step"']],
  ],
  [
    'wrong type',
    edited(D, (j) => {
      j.trainingInput.hyperparameters.maxTrials = '12';
    }),
    [[`${HP}.maxTrials`, 'must be an integer (got "12")']],
  ],
  [
    'ASHA with reductionFactor 1 and maxSteps ≤ minSteps',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.automatedStoppingConfig = {
        ashaStoppingConfig: { minSteps: 2, reductionFactor: 1, maxSteps: 2 },
      };
    }),
    [
      [
        `${HP}.automatedStoppingConfig.ashaStoppingConfig.reductionFactor`,
        'must be at least 2 (got 1)',
      ],
      [
        `${HP}.automatedStoppingConfig.ashaStoppingConfig.maxSteps`,
        'must be greater than minSteps (2), got 2',
      ],
    ],
  ],
  [
    'ASHA with minSteps 0',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.automatedStoppingConfig = {
        ashaStoppingConfig: { minSteps: 0 },
      };
    }),
    [[`${HP}.automatedStoppingConfig.ashaStoppingConfig.minSteps`, 'must be at least 1 (got 0)']],
  ],
  [
    'two stopping modes',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.automatedStoppingConfig = {
        medianAutomatedStoppingConfig: {},
        ashaStoppingConfig: {},
      };
    }),
    [
      [
        `${HP}.automatedStoppingConfig`,
        'must set exactly one of medianAutomatedStoppingConfig, ashaStoppingConfig (got 2)',
      ],
    ],
  ],
  [
    'ASHA with enableTrialEarlyStopping',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.enableTrialEarlyStopping = true;
      j.trainingInput.hyperparameters.automatedStoppingConfig = { ashaStoppingConfig: {} };
    }),
    [
      [
        `${HP}.automatedStoppingConfig.ashaStoppingConfig`,
        'cannot be combined with enableTrialEarlyStopping (the median rule); set one of them',
      ],
    ],
  ],
  [
    'median rule on elapsed time',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.automatedStoppingConfig = {
        medianAutomatedStoppingConfig: { useElapsedTime: true },
      };
    }),
    [
      [
        `${HP}.automatedStoppingConfig.medianAutomatedStoppingConfig.useElapsedTime`,
        'only false is supported: Stratus compares trials by step (epoch), not elapsed time',
      ],
    ],
  ],
  [
    'decay-curve stopping (not offered)',
    edited(C, (j) => {
      j.trainingInput.hyperparameters.automatedStoppingConfig = { decayCurveStoppingConfig: {} };
    }),
    [
      [
        `${HP}.automatedStoppingConfig.decayCurveStoppingConfig`,
        'unknown field "decayCurveStoppingConfig"',
      ],
    ],
  ],
];

describe('hyperparameter validation', () => {
  it('has a table of at least 25 invalid specs', () => {
    expect(INVALID.length).toBeGreaterThanOrEqual(25);
  });

  it.each(INVALID)('rejects %s', (_name, job, expected) => {
    expectViolations(job, expected);
  });
});
