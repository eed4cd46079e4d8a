import { completedShards, outputProblems, planPrediction } from '@stratus/batch';
import {
  fieldError,
  predictionUriUses,
  violationsError,
  type BatchModelRef,
  type BatchPlan,
  type Job,
  type Logger,
  type PredictionJobInput,
} from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import type { StoreAreas, TrialQueues } from '@stratus/store';
import { resolveBatchModel } from './batch-model.js';
import { enqueueNewJob } from './enqueue-new-job.js';

const PI = 'predictionInput';

/** Instances per model call when the job does not say. */
export const DEFAULT_BATCH_SIZE = 64;

/** Shards one job may have; past it the job is refused (raise STRATUS_BATCH_SHARD_BYTES). */
export const MAX_SHARDS = 10_000;

/** How a server plans batch prediction jobs (config's limits). */
export interface BatchLimits {
  readonly batchShardBytes: number;
  readonly batchMaxErrorRate: number;
  readonly maxQueuedJobsPerProject?: number;
}

/** A model `uri` holding only `model.onnx` (no TensorFlow.js `model.json`) is an ONNX model. */
const detectFramework = async (storage: Storage, model: BatchModelRef): Promise<BatchModelRef> => {
  if (model.versionName !== undefined) return model;
  const dir = model.uri.endsWith('/') ? model.uri : `${model.uri}/`;
  const [onnx, tfjs] = await Promise.all([
    storage.exists(`${dir}model.onnx`),
    storage.exists(`${dir}model.json`),
  ]);
  if (!onnx && !tfjs) {
    throw fieldError(
      'INVALID_JOB_SPEC',
      `${PI}.uri`,
      `${model.uri} holds no model (model.json or model.onnx)`,
    );
  }
  return onnx && !tfjs ? { ...model, framework: 'ONNX' } : model;
};

/** The plan of a batch prediction job, read from its inputs and output path (buckets already authorized). */
const planJob = async (
  store: StoreAreas<'models' | 'versions'>,
  storage: Storage,
  project: string,
  input: PredictionJobInput['predictionInput'],
  limits: BatchLimits,
): Promise<BatchPlan> => {
  const model = await detectFramework(storage, await resolveBatchModel(store, project, input));
  const resume = input.resume === true;
  const problems = (await outputProblems(storage, input.outputPath)).filter(
    (problem) => !(resume && problem.reason === 'HOLDS_RESULTS'),
  );
  if (problems.length > 0) {
    throw violationsError(
      'INVALID_JOB_SPEC',
      problems.map(({ field, description }) => ({ field, description })),
    );
  }
  const { shards, totalRows } = await planPrediction(storage, input, {
    shardBytes: limits.batchShardBytes,
  });
  if (shards.length > MAX_SHARDS) {
    throw fieldError(
      'INVALID_JOB_SPEC',
      `${PI}.inputPaths`,
      `the inputs make ${shards.length} shards, more than ${MAX_SHARDS}; the operator can raise STRATUS_BATCH_SHARD_BYTES`,
    );
  }
  const skipped = resume ? await completedShards(storage, input.outputPath, shards) : [];
  const runnable = shards.filter((shard) => !skipped.includes(shard.index));
  if (runnable.length === 0) {
    throw fieldError(
      'INVALID_JOB_SPEC',
      `${PI}.resume`,
      `every shard's results are already in ${input.outputPath}; nothing is left to run`,
    );
  }
  return {
    model,
    shards: runnable,
    totalRows,
    maxErrorRate: input.maxErrorRate ?? limits.batchMaxErrorRate,
    batchSize: Number(input.batchSize ?? DEFAULT_BATCH_SIZE),
    skipped,
    skippedRows: shards
      .filter((shard) => skipped.includes(shard.index))
      .reduce((sum, shard) => sum + shard.rows, 0),
  };
};

/** Shards enqueued at once: `maxWorkerCount`, or all of them. */
export const shardParallelism = (job: Job, shards: number): number =>
  Math.min(shards, Number(job.predictionInput?.maxWorkerCount ?? shards));

/**
 * Submit a batch prediction job: authorize its buckets (a 403 naming the
 * field), resolve its model, refuse an output path that already holds results
 * (unless `resume`), split its inputs into shards (a 400 naming the field for
 * inputs that match nothing), store the job with one QUEUED trial per shard
 * still to run, and enqueue up to `maxWorkerCount` of them.
 */
export const submitPredictionJob = async (
  store: StoreAreas<'buckets' | 'jobs' | 'models' | 'versions'>,
  queues: TrialQueues,
  storage: Storage,
  project: string,
  input: PredictionJobInput,
  log: Pick<Logger, 'error' | 'warn'>,
  limits: BatchLimits,
): Promise<{ job: Job; trialIds: string[] }> => {
  let planned: BatchPlan | undefined;
  const job = await store.buckets.withAccess(
    project,
    predictionUriUses(input.predictionInput),
    log,
    async () => {
      const batch = await planJob(store, storage, project, input.predictionInput, limits);
      planned = batch;
      return store.jobs.create(project, input, {
        batch,
        trials: batch.shards.map(() => ({})),
        ...(limits.maxQueuedJobsPerProject === undefined
          ? {}
          : { maxLiveJobs: limits.maxQueuedJobsPerProject }),
      });
    },
  );
  const total = planned?.shards.length ?? 0;
  const trialIds = Array.from({ length: shardParallelism(job, total) }, (_, i) => String(i + 1));
  await enqueueNewJob(store, queues, project, job, trialIds, log);
  return { job, trialIds };
};
