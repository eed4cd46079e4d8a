import type { JobInput } from './job.js';

/**
 * docs/api.md's example job (input fields only, verbatim): Iris with a
 * `dnn_classifier` and a 12-trial tuning spec. A fresh object per call, so
 * callers may edit it. The docs, the tests and the benchmarks start from it.
 */
export const designExampleJob = () =>
  ({
    jobId: 'iris_dnn_1',
    labels: { team: 'demo' },
    trainingInput: {
      scaleTier: 'BASIC',
      region: 'local',
      jobDir: 'gs://demo/jobs/iris_dnn_1',
      builtinAlgorithm: {
        name: 'dnn_classifier',
        trainingData: 'gs://demo/data/iris.csv',
        labelColumn: 'species',
        validationSplit: 0.2,
        epochs: 40,
        batchSize: 16,
        learningRate: 0.01,
        hiddenUnits: [32, 16],
        dropout: 0.1,
        optimizer: 'adam',
        seed: 7,
      },
      hyperparameters: {
        goal: 'MAXIMIZE',
        hyperparameterMetricTag: 'val_accuracy',
        maxTrials: 12,
        maxParallelTrials: 3,
        maxFailedTrials: 3,
        enableTrialEarlyStopping: true,
        algorithm: 'ALGORITHM_UNSPECIFIED',
        params: [
          {
            parameterName: 'learningRate',
            type: 'DOUBLE',
            minValue: 0.0001,
            maxValue: 0.1,
            scaleType: 'UNIT_LOG_SCALE',
          },
          {
            parameterName: 'hiddenUnits',
            type: 'CATEGORICAL',
            categoricalValues: ['16', '32,16', '64,32'],
          },
        ],
      },
    },
  }) satisfies JobInput;
