import { labelWidth } from '@stratus/trainer';
import type { ModelSignature } from './signature.js';

/** A tensor as clients see it: batch dimension first, -1 where any size goes. */
export interface PublicTensor {
  readonly name: string;
  readonly dtype: 'float32' | 'int32' | 'string';
  readonly shape: readonly number[];
}

/** What a model takes and returns, as the TF Serving and KServe metadata routes describe it. */
export interface PublicSignature {
  readonly inputs: readonly PublicTensor[];
  readonly outputs: readonly PublicTensor[];
}

/**
 * The client-facing signature: a Stratus bundle takes one tensor per raw
 * feature (numbers, category strings, or an image) and returns `label` and
 * `probabilities` (classifiers) or `value` (regressors); a raw model is its
 * own inputs and outputs.
 */
export const publicSignature = (signature: ModelSignature): PublicSignature => {
  const manifest = signature.kind === 'stratus' ? signature.manifest : undefined;
  if (manifest === undefined) {
    const describe = (tensor: ModelSignature['inputs'][number]): PublicTensor => ({
      name: tensor.name,
      dtype: tensor.dtype,
      shape: [-1, ...tensor.shape.map((dim) => dim ?? -1)],
    });
    return { inputs: signature.inputs.map(describe), outputs: signature.outputs.map(describe) };
  }
  const { features, label } = manifest.preprocessing;
  const inputs = features.map((feature): PublicTensor => {
    if (feature.kind === 'image') {
      return {
        name: feature.name,
        dtype: 'float32',
        shape: [-1, feature.height, feature.width, feature.channels],
      };
    }
    return {
      name: feature.name,
      dtype: feature.kind === 'numeric' ? 'float32' : 'string',
      shape: [-1],
    };
  });
  const outputs: PublicTensor[] =
    label.kind === 'classification'
      ? [
          { name: 'label', dtype: 'string', shape: [-1] },
          { name: 'probabilities', dtype: 'float32', shape: [-1, labelWidth(label)] },
        ]
      : [{ name: 'value', dtype: 'float32', shape: [-1] }];
  return { inputs, outputs };
};
