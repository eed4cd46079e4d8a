export { predictorPlugin, type PredictorPluginOptions, type PredictorRouteDeps } from './plugin.js';
export {
  startPredictorServer,
  type PredictorServer,
  type StartPredictorServerOptions,
} from './server.js';
export {
  DEFAULT_PREDICTOR_OPTIONS,
  Predictor,
  threadCount,
  type PredictResult,
  type PredictorOptions,
} from './predictor.js';
export type { PredictTarget, ResolvedVersion } from './version-resolver.js';
export type { BatchStats, BatchingPolicy } from './batch-scheduler.js';
export { publicSignature, type PublicSignature, type PublicTensor } from './public-signature.js';
export { packedJsonBodies } from './protocols/route-kit.js';
