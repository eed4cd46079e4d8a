import {
  StratusError,
  objectiveMetricTag,
  resolveBuiltinParams,
  type BuiltinAlgorithm,
} from '@stratus/spec';
import { countModelParams, exportBundle, modelTooLarge, tf } from '@stratus/bundle';
import { buildModel, builtinModelOptions } from '../algorithms/build-model.js';
import { builtinTopology } from '../algorithms/model-topology.js';
import type { DataSplit } from '../data/data-split.js';
import { builtinDataOptions, prepareData } from '../data/prepare-data.js';
import { exportOnnx } from '../export/onnx-export.js';
import { CheckpointStore } from '../training/checkpoint.js';
import type { ExampleData, Task } from '../training/evaluate.js';
import { SeededRandomScope } from '../training/seeded-random.js';
import { trainLoop } from '../training/train-loop.js';
import {
  trialJobDir,
  trialPaths,
  type TrialContext,
  type TrialResult,
  type TrialSpec,
} from './trial-spec.js';

const EVAL_BATCH = 1024;

/** Run a built-in algorithm trial: data → model → epochs with checkpoints → bundle. */
export async function runBuiltinTrial(
  spec: TrialSpec,
  algorithm: BuiltinAlgorithm,
  context: TrialContext,
): Promise<TrialResult> {
  const { reporter } = context;
  const params = resolveBuiltinParams(algorithm, spec.hyperparameters);
  const metricTag = objectiveMetricTag(spec.hyperparameterMetricTag, params.name);
  const { trialDir, modelDir } = trialPaths(trialJobDir(spec), spec.trialId, spec.tuning);
  reporter.log(
    'INFO',
    `Trial ${spec.trialId}: ${params.name} on ${context.backend.name} (${context.backend.reason})`,
  );

  const data = await prepareData(builtinDataOptions(params), {
    storage: context.storage,
    cache: context.cache,
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    // What data preparation logs goes to the job's log stream (debug lines dropped).
    logger: {
      info: (_fields, message) => reporter.log('INFO', message ?? ''),
      warn: (_fields, message) => reporter.log('WARNING', message ?? ''),
      error: (_fields, message) => reporter.log('ERROR', message ?? ''),
      debug: () => undefined,
    },
  });
  reporter.log(
    'INFO',
    `Data: ${data.trainRows} training and ${data.validationRows} validation examples (${data.format}), ` +
      `input shape [${data.inputShape.join(', ')}]` +
      (data.droppedRows.missingLabel > 0
        ? `, ${data.droppedRows.missingLabel} rows dropped for a missing label`
        : ''),
  );

  const label = data.preprocessing.label;
  const task: Task =
    label.kind === 'classification'
      ? { kind: 'classification' }
      : { kind: 'regression', std: label.std };
  const random = new SeededRandomScope(params.seed);
  const disposables: tf.Tensor[] = [];
  let model: tf.LayersModel | undefined;
  try {
    const modelOptions = builtinModelOptions(params, data);
    const planned = countModelParams(builtinTopology(modelOptions)).topology ?? 0;
    if (planned > context.maxModelParams) {
      const shape = `input [${data.inputShape.join(', ')}], hiddenUnits [${params.hiddenUnits.join(', ')}]`;
      throw modelTooLarge(`The ${params.name} model (${shape})`, planned, context.maxModelParams);
    }
    model = buildModel(modelOptions);
    const asExamples = (split: DataSplit, shuffle: boolean): ExampleData => {
      if (split.kind === 'memory') {
        const { xs, ys } = split.tensors();
        disposables.push(xs, ys);
        return { kind: 'tensors', xs, ys, count: split.rows };
      }
      return {
        kind: 'dataset',
        dataset: split.batches(shuffle ? params.batchSize : EVAL_BATCH, { shuffle }),
        count: split.rows,
      };
    };
    const result = await trainLoop({
      trialId: spec.trialId,
      model,
      train: asExamples(data.train, true),
      ...(data.validation === undefined ? {} : { validation: asExamples(data.validation, false) }),
      task,
      epochs: params.epochs,
      batchSize: params.batchSize,
      random,
      reporter,
      checkpoints: new CheckpointStore(context.storage, trialDir),
      checkpointEveryEpochs: params.checkpointEveryEpochs,
      threads: context.trialThreads ?? 1,
      ...(context.signal === undefined ? {} : { signal: context.signal }),
      ...(context.stopSignal === undefined ? {} : { stopSignal: context.stopSignal }),
    });
    if (result.stoppedEarly) {
      reporter.log('INFO', `Stopped early after epoch ${result.epochs} of ${params.epochs}`);
    }
    await exportBundle(context.storage, modelDir, model, {
      format: 'stratus-bundle',
      version: 1,
      algorithm: params.name,
      preprocessing: data.preprocessing,
      metrics: result.finalMetrics,
      hyperparameters: spec.hyperparameters,
      trainingData: params.trainingData,
      epochs: result.epochs,
      tfjsVersion: tf.version.tfjs,
      backend: context.backend.name,
      createTime: new Date().toISOString(),
    });
    await exportOnnx({
      storage: context.storage,
      modelDir,
      model,
      rows: data.validation ?? data.train,
      classification: task.kind === 'classification',
      log: (severity, message) => reporter.log(severity, message),
    });
    reporter.log('INFO', `Model exported to ${modelDir}`);
    const objective = result.finalMetrics[metricTag];
    if (objective === undefined) {
      reporter.log(
        'WARNING',
        `Metric "${metricTag}" was never reported (reported: ${Object.keys(result.finalMetrics).join(', ')})`,
      );
    }
    return {
      trialId: spec.trialId,
      ...(objective === undefined ? {} : { objective }),
      metricTag,
      trainingStep: result.epochs,
      finalMetrics: result.finalMetrics,
      modelDir,
      epochs: result.epochs,
      resumedFromEpoch: result.resumedFromEpoch,
      samplesPerSecond: result.samplesPerSecond,
      ...(result.stoppedEarly ? { stoppedEarly: true } : {}),
    };
  } catch (error) {
    if (error instanceof StratusError) throw error;
    throw new StratusError(
      'TRIAL_FAILED',
      { trialId: spec.trialId, detail: (error as Error).message },
      { cause: error },
    );
  } finally {
    random.restore();
    tf.dispose(disposables);
    model?.dispose();
  }
}
