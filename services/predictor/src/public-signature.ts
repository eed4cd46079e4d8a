import { manifestSignature } from '@stratus/bundle';
import type { ModelSignature } from '@stratus/serving';

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
 * The client-facing signature: a Stratus bundle's signature
 * (`manifestSignature`, the one the API's version-signature route returns)
 * as tensors, one per raw feature (numbers, category strings, or an image),
 * returning `label` and `probabilities` (classifiers) or `value`
 * (regressors); a raw model is its own inputs and outputs.
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
  const bundle = manifestSignature(manifest);
  const inputs = bundle.inputs.map((input): PublicTensor => {
    if (input.kind === 'image') {
      return { name: input.name, dtype: 'float32', shape: [-1, ...(input.shape ?? [])] };
    }
    return {
      name: input.name,
      dtype: input.kind === 'numeric' ? 'float32' : 'string',
      shape: [-1],
    };
  });
  const classes = bundle.output.classes ?? [];
  const outputs: PublicTensor[] =
    bundle.output.kind === 'classification'
      ? [
          { name: 'label', dtype: 'string', shape: [-1] },
          { name: 'probabilities', dtype: 'float32', shape: [-1, classes.length] },
        ]
      : [{ name: 'value', dtype: 'float32', shape: [-1] }];
  return { inputs, outputs };
};
