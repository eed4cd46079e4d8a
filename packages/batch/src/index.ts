export type { PredictRows, RowOutcome } from './row-outcome.js';
export { BATCH_DATA_FORMATS, checkDataFormat, type BatchDataFormat } from './data-format.js';
export { expandInputPaths, type InputObject } from './input-paths.js';
export { planPrediction, type PlanOptions, type PredictionPlan } from './plan-prediction.js';
export { completedShards, outputProblems, outputUri, type OutputProblem } from './output-state.js';
export {
  runShard,
  type RunShardOptions,
  type ShardCounts,
  type ShardTimings,
} from './run-shard.js';
