import {
  BatchMatMul,
  getKernel,
  type BatchMatMulAttrs,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * [rows × inner] · [inner × cols] on the wasm backend's own BatchMatMul kernel (XNNPACK),
 * reading both operands in place: only the shapes are reinterpreted, no data is copied.
 * Neither operand is transposed because that is the kernel's fast path.
 */
export function wasmMatMul(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  rows: number,
  inner: number,
  cols: number,
): TensorInfo {
  const kernel = getKernel(BatchMatMul, 'wasm');
  if (kernel === undefined) throw new Error('wasm backend has no BatchMatMul kernel');
  const attrs: BatchMatMulAttrs = { transposeA: false, transposeB: false };
  return kernel.kernelFunc({
    inputs: {
      a: { dataId: a.dataId, shape: [1, rows, inner], dtype: 'float32' },
      b: { dataId: b.dataId, shape: [1, inner, cols], dtype: 'float32' },
    },
    attrs: attrs as unknown as NamedAttrMap,
    backend,
  }) as TensorInfo;
}
