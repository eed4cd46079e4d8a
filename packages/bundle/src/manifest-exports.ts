/**
 * `@stratus/bundle/manifest`: the parts of the bundle contract that need no TensorFlow.js
 * (the `stratus.json` schema, its parser and the signature derived from it), for readers
 * such as the API that must not load tfjs.
 */
export {
  MANIFEST_FILE,
  StratusManifestSchema,
  parseManifest,
  type StratusManifest,
} from './manifest.js';
export {
  PreprocessingSchema,
  featureWidth,
  labelWidth,
  type FeatureSpec,
  type LabelSpec,
  type Preprocessing,
} from './preprocessing.js';
export { RAW_SIGNATURE, manifestSignature, readBundleSignature } from './signature.js';
