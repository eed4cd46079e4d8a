export {
  SERVING_SIGNATURE,
  rowSize,
  type HostTensor,
  type ModelRuntime,
  type ModelSignature,
  type TensorDtype,
  type TensorSpec,
} from './signature.js';
export type { PreparedRequest, RequestOutputs } from './prepared-request.js';
export { invalidRequest, isPlainObject } from './request-checks.js';
export { PackedInstances, isPacked, parsePackedInstances } from './packed-instances.js';
export { prepareInstances, prepareTensors } from './prepare-inputs.js';
export { columnarOutputs, rowPredictions } from './format-outputs.js';
export {
  ModelRunner,
  NOT_LOADED,
  type LoadedModel,
  type ModelRunnerOptions,
  type RunnerMemory,
} from './runtime/model-runner.js';
export {
  openBatchModel,
  type BatchModel,
  type OpenBatchModelOptions,
  type RowOutcome,
} from './batch-model.js';
