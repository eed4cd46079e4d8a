import type { StratusManifest } from '@stratus/bundle';

/** Element types a model input or output may have. */
export type TensorDtype = 'float32' | 'int32';

/** One model input or output. */
export interface TensorSpec {
  /** The name clients use (a graph model's `:0` suffix dropped). */
  readonly name: string;
  /** The name the model is fed or answers under. */
  readonly key: string;
  /** One row's shape, without the batch dimension; null where any size is accepted. */
  readonly shape: readonly (number | null)[];
  readonly dtype: TensorDtype;
  /** Class names of an output whose rows are class scores (an ONNX version's signature.json). */
  readonly labels?: readonly string[];
}

/** What runs a loaded model's calls. */
export type ModelRuntime = 'tfjs' | 'onnx';

/**
 * What a loaded model takes and gives. Stratus bundles take raw feature
 * objects (featurized with `manifest.preprocessing`) into their single input;
 * raw tfjs and ONNX models take tensors by input name.
 */
export interface ModelSignature {
  readonly kind: 'stratus' | 'layers' | 'graph' | 'onnx';
  readonly runtime: ModelRuntime;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly manifest?: StratusManifest;
}

/** A typed row-major tensor crossing the executor boundary (a batch, or one request's rows). */
export interface HostTensor {
  readonly data: Float32Array | Int32Array;
  /** Full shape, batch dimension first. */
  readonly shape: readonly number[];
}

/** Elements in one row of `shape` (its product; 1 for a scalar row). */
export const rowSize = (shape: readonly number[]): number =>
  shape.reduce((product, dim) => product * dim, 1);

/**
 * The one signature a served model has (TF Serving's default name): what the
 * predictor's metadata routes describe and batch prediction's `signatureName` must name.
 */
export const SERVING_SIGNATURE = 'serving_default';
