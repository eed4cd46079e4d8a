import { labelWidth, type StratusManifest } from '@stratus/bundle/manifest';
import { StratusError } from '@stratus/spec';
import type { HostTensor, ModelRuntime, ModelSignature, TensorSpec } from '../signature.js';

/** A tensor of the model; an output whose shape the model does not declare gets it from the warm-up. */
export type DeclaredSpec = Omit<TensorSpec, 'shape'> & {
  readonly shape: TensorSpec['shape'] | undefined;
};

/** The declared signature (outputs may lack shapes until the warm-up batch shows them). */
export interface DeclaredSignature extends Omit<ModelSignature, 'outputs'> {
  readonly outputs: readonly DeclaredSpec[];
}

/**
 * A model loaded on one runtime (TensorFlow.js or ONNX Runtime): what the
 * runner warms, runs and disposes, whichever runtime holds it.
 */
export interface RuntimeModel {
  readonly signature: DeclaredSignature;
  /** Bytes of weights the model holds (what the memory budget counts). */
  readonly bytes: number;
  /** One batch; outputs as host arrays, batch dimension first. */
  run(inputs: readonly HostTensor[]): Promise<HostTensor[]>;
  dispose(): void;
}

/** An input must declare its row shape: requests are validated against it. */
export const declared = (uri: string, input: DeclaredSpec): TensorSpec => {
  if (input.shape === undefined) {
    throw new StratusError('BUNDLE_INVALID', {
      uri,
      detail: `input "${input.key}" has no declared shape`,
    });
  }
  return { ...input, shape: input.shape };
};

/** A batch-first model shape as one row's shape; null where any size goes. */
export const rowShape = (
  uri: string,
  key: string,
  shape: readonly (number | string | null)[] | undefined,
): (number | null)[] | undefined => {
  if (shape !== undefined && shape.length === 0) {
    throw new StratusError('BUNDLE_INVALID', {
      uri,
      detail: `tensor "${key}" has no batch dimension`,
    });
  }
  return shape?.slice(1).map((dim) => (typeof dim !== 'number' || dim < 0 ? null : dim));
};

/**
 * A Stratus bundle's signature: one input fed the featurized rows and one
 * output of rank 2 holding what `stratus.json`'s label decodes, on either runtime.
 */
export const stratusSignature = (
  uri: string,
  manifest: StratusManifest,
  runtime: ModelRuntime,
  inputs: readonly TensorSpec[],
  outputs: readonly DeclaredSpec[],
): DeclaredSignature => {
  const [output] = outputs;
  if (inputs.length !== 1 || output?.shape === undefined || output.shape.length !== 1) {
    throw new StratusError('BUNDLE_INVALID', {
      uri,
      detail: 'a Stratus bundle must have one input and one output of rank 2',
    });
  }
  const width = labelWidth(manifest.preprocessing.label);
  if (output.shape[0] !== width) {
    throw new StratusError('BUNDLE_INVALID', {
      uri,
      detail: `stratus.json describes ${width} outputs but the model has ${String(output.shape[0])}`,
    });
  }
  return { kind: 'stratus', runtime, inputs, outputs, manifest };
};
