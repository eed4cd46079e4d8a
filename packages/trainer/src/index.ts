export { selectTrainingBackend } from './backend/select-training-backend.js';
export {
  WASM_TRAINING_KERNELS,
  isStratusWasmKernel,
  registerWasmTrainingKernels,
} from './backend/wasm-kernels/register-wasm-kernels.js';
export { runCustomTrainer } from './custom/run-custom-trainer.js';
export type { TrainerSandbox } from './custom/trainer-sandbox.js';
export { probeSandbox, type SandboxProbe } from './custom/bwrap-sandbox.js';
export {
  DEFAULT_TRAINER_LIMITS,
  type CustomTrainerOptions,
  type CustomTrainerResult,
  type TrainerLimits,
  type TrainerMetric,
} from './custom/custom-trainer-types.js';
export {
  DEFAULT_EXTRACT_LIMITS,
  extractPackageTarball,
  type ExtractLimits,
  type ExtractOptions,
  type ExtractResult,
} from './custom/safe-extract.js';
export {
  DEFAULT_LOG_LIMITS,
  type LogLimits,
  type LogLine,
  type LogStream,
  type LogSummary,
} from './custom/log-gate.js';
export { INHERITED_ENV_VARS } from './custom/child-env.js';
export { RUNTIME_PACKAGES } from './custom/runtime-links.js';
export { builtinDataOptions, prepareData } from './data/prepare-data.js';
export type { DataContext, DataOptions, DroppedRows, PreparedData } from './data/data-options.js';
export type {
  Batch,
  BatchOptions,
  DataSplit,
  InMemorySplit,
  StreamingSplit,
} from './data/data-split.js';
export type { LabelTask } from './data/label-stats.js';
export {
  DatasetCache,
  type CachedFile,
  type DatasetCacheOptions,
  type FetchOptions,
} from './data/dataset-cache.js';
export { CsvParser, parseCsv, type CsvRecord } from './data/csv-parser.js';
export { JsonLinesParser, parseJsonLines, type JsonLinesRecord } from './data/jsonl-parser.js';
export { runTrial } from './trial/run-trial.js';
export { exportOnnx, type OnnxExportOptions } from './export/onnx-export.js';
export { OnnxExportError, onnxModelBytes } from './export/onnx-graph.js';
export {
  trialPaths,
  type TrialContext,
  type TrialResult,
  type TrialSpec,
} from './trial/trial-spec.js';
export {
  createMemoryReporter,
  type RecordedTrial,
  type Severity,
  type TrialProgress,
  type TrialReporter,
} from './training/reporter.js';
export { CheckpointStore, type CheckpointState } from './training/checkpoint.js';
export { evaluate, type ExampleData, type Task } from './training/evaluate.js';
export {
  buildModel,
  builtinModelOptions,
  type ModelOptions,
  type OptimizerName,
} from './algorithms/build-model.js';
