import type { CastAttrs, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** `x` under a new reference to its buffer: tensors are immutable, so none needs a copy. */
function share(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/**
 * Identity on the wasm backend as the cpu backend does it: the output shares the input's
 * buffer (a reference count, as tfjs's wasm Reshape does). tfjs 4.22's wasm kernel copied the
 * tensor, 34 times a step in an MLP and 44 in the CNN (gradient bookkeeping).
 */
export const sharedIdentityWasm: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs;
  if (x === undefined) throw new Error('Identity needs x');
  return share(backend as BackendWasm, x);
};

/** Cast to the dtype a tensor already has shares its buffer too; any other cast is the original's. */
export function sameDtypeCastWasm(original: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs;
    const { dtype } = args.attrs as unknown as CastAttrs;
    if (x === undefined || x.dtype !== dtype) return original(args);
    return share(args.backend as BackendWasm, x);
  };
}
