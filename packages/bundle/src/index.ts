export { tf } from './backend/tf.js';
export { selectBackend } from './backend/select-backend.js';
export {
  BACKEND_PREFERENCES,
  type BackendInfo,
  type BackendName,
  type BackendPreference,
  type SelectBackendOptions,
} from './backend/backend-types.js';
// The tfjs-free contract (also `@stratus/bundle/manifest`), then what needs tfjs.
export * from './manifest-exports.js';
export {
  CategoricalFeatureSchema,
  ClassificationLabelSchema,
  FeatureSpecSchema,
  ImageFeatureSchema,
  LabelSpecSchema,
  NumericFeatureSchema,
  RegressionLabelSchema,
  missingIndicatorName,
  type CategoricalFeature,
  type ClassificationLabel,
  type ImageFeature,
  type NumericFeature,
  type RegressionLabel,
} from './preprocessing.js';
export { isMissing, quoteValue, toCategory, toNumber, typeOfValue } from './values.js';
export { FeatureValueError, compileRowWriter, type RowWriter } from './featurize-table.js';
export { featurize } from './featurize.js';
export {
  ImageDecodeError,
  decodeImage,
  writeImageInput,
  type ImageGeometry,
  type RgbaImage,
} from './image-decode.js';
export {
  decodePredictions,
  featurizeInstances,
  predictInstances,
  type InstanceNamer,
  type Prediction,
} from './predict-instances.js';
export { storageIOHandler } from './storage-io.js';
export { exportBundle } from './export-bundle.js';
export { loadBundle, type Bundle, type LoadBundleOptions } from './load-bundle.js';
export {
  assertModelParamsWithinLimit,
  countModelParams,
  modelTooLarge,
  type ModelParamCount,
} from './params/count-params.js';
