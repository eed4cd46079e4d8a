import {
  Transpose,
  getKernel,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
  type TransposeAttrs,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** `transposeA`/`transposeB` as BatchMatMul and _FusedMatMul both carry them. */
interface TransposeFlags {
  transposeA: boolean;
  transposeB: boolean;
}

/** `shape` with its last two dimensions swapped. */
function swapLastTwo(shape: readonly number[]): number[] {
  const out = [...shape];
  const rank = out.length;
  [out[rank - 2], out[rank - 1]] = [out[rank - 1] as number, out[rank - 2] as number];
  return out;
}

/**
 * `x` with its last two dimensions transposed and `owned` telling whether the caller must
 * free it. A matrix with a single row or column has the same data either way, so it only
 * gets the swapped shape; anything else is copied by the wasm Transpose kernel.
 */
function transposedMatrices(
  backend: BackendWasm,
  x: TensorInfo,
): { matrices: TensorInfo; owned: boolean } {
  const rank = x.shape.length;
  const swapped = swapLastTwo(x.shape);
  if (x.shape[rank - 1] === 1 || x.shape[rank - 2] === 1) {
    return { matrices: { dataId: x.dataId, shape: swapped, dtype: x.dtype }, owned: false };
  }
  const transpose = getKernel(Transpose, 'wasm');
  if (transpose === undefined) throw new Error('wasm backend has no Transpose kernel');
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const attrs: TransposeAttrs = { perm };
  const matrices = transpose.kernelFunc({
    inputs: { x },
    attrs: attrs as unknown as NamedAttrMap,
    backend,
  }) as TensorInfo;
  return { matrices, owned: true };
}

/**
 * Wraps tfjs 4.22's wasm BatchMatMul or _FusedMatMul so it never multiplies a transposed
 * operand: its XNNPACK path handles only the plain layout, and a transposed one fell back
 * to a loop ~10× slower (dense layers' backward pass: dW = xᵀ·g and dX = g·Wᵀ). A
 * transposed operand is copied into the plain layout first, then the original kernel runs
 * with both flags off; batch dimensions and their broadcasting are the original's.
 */
export function untransposedMatMulWasm(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as unknown as TransposeFlags;
    const { a, b } = inputs;
    if ((!transposeA && !transposeB) || a === undefined || b === undefined) return original(args);
    const wasm = backend as BackendWasm;
    const scratch: TensorInfo[] = [];
    const plain = (x: TensorInfo, transposed: boolean): TensorInfo => {
      if (!transposed) return x;
      const { matrices, owned } = transposedMatrices(wasm, x);
      if (owned) scratch.push(matrices);
      return matrices;
    };
    try {
      return original({
        inputs: { ...inputs, a: plain(a, transposeA), b: plain(b, transposeB) },
        attrs: { ...attrs, transposeA: false, transposeB: false },
        backend,
      });
    } finally {
      for (const t of scratch) wasm.disposeData(t.dataId);
    }
  };
}
