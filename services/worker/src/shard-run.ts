import type { PredictRuntime } from '@stratus/config';
import { runShard } from '@stratus/batch';
import { openBatchModel, type BatchModel } from '@stratus/serving';
import type { ShardCounts } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import type { ShardSpec } from './ipc-protocol.js';

/** What running a shard in a trial process needs beyond its spec. */
export interface ShardRuntime {
  readonly storage: Storage;
  /** STRATUS_PREDICT_RUNTIME: how a TENSORFLOW_JS bundle runs (ONNX models always run on ORT). */
  readonly predictRuntime: PredictRuntime;
  readonly onnxThreads: number;
  readonly maxModelParams: number;
}

/**
 * The model of the last shard this process ran, kept so the next shard of
 * the same job (same bundle, runtime and signature) skips the load and warm-up.
 */
let cached: { readonly key: string; readonly model: BatchModel } | undefined;

const modelFor = async (runtime: ShardRuntime, spec: ShardSpec): Promise<BatchModel> => {
  const predictRuntime = spec.model.framework === 'ONNX' ? 'onnx' : runtime.predictRuntime;
  const key = JSON.stringify([spec.model.uri, predictRuntime, spec.signatureName ?? '']);
  if (cached?.key === key) return cached.model;
  cached?.model.close();
  cached = undefined;
  const model = await openBatchModel({
    storage: runtime.storage,
    uri: spec.model.uri,
    runtime: predictRuntime,
    maxModelParams: runtime.maxModelParams,
    onnxThreads: runtime.onnxThreads,
    ...(spec.signatureName === undefined ? {} : { signatureName: spec.signatureName }),
  });
  cached = { key, model };
  return model;
};

/**
 * Run one batch prediction shard with the online predictor's model code
 * (`@stratus/serving`) and write its results and errors (`@stratus/batch`).
 */
export const runShardSpec = async (
  runtime: ShardRuntime,
  spec: ShardSpec,
  signal: AbortSignal,
  onProgress: (rowsDone: number) => void,
): Promise<ShardCounts> => {
  const model = await modelFor(runtime, spec);
  return runShard(
    runtime.storage,
    spec.shard,
    {
      dataFormat: spec.dataFormat,
      outputDataFormat: spec.outputDataFormat,
      outputPath: spec.outputPath,
      keyField: spec.keyField,
      batchSize: spec.batchSize,
      signal,
      onProgress,
    },
    (instances) => model.predictRows(instances),
  );
};
