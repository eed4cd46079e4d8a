export { tf } from './backend/tf.js';
export { selectBackend } from './backend/select-backend.js';
export {
  BACKEND_PREFERENCES,
  type BackendInfo,
  type BackendName,
  type BackendPreference,
  type SelectBackendOptions,
} from './backend/backend-types.js';
export {
  MANIFEST_FILE,
  StratusManifestSchema,
  parseManifest,
  type StratusManifest,
} from './manifest.js';
export {
  CategoricalFeatureSchema,
  ClassificationLabelSchema,
  FeatureSpecSchema,
  ImageFeatureSchema,
  LabelSpecSchema,
  NumericFeatureSchema,
  PreprocessingSchema,
  RegressionLabelSchema,
  featureWidth,
  labelWidth,
  missingIndicatorName,
  type CategoricalFeature,
  type ClassificationLabel,
  type FeatureSpec,
  type ImageFeature,
  type LabelSpec,
  type NumericFeature,
  type Preprocessing,
  type RegressionLabel,
} from './preprocessing.js';
export { RAW_SIGNATURE, manifestSignature, readBundleSignature } from './signature.js';
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
