import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, outputPixels, patchSize, type ConvGeometry } from './conv-geometry.js';
import { wasmMatMul } from './wasm-matmul.js';

/** Scatter-adds patch gradients [m, (fy, fx, ci)] back onto the NHWC input gradient. */
function col2im(cols: Float32Array, dx: Float32Array, g: ConvGeometry): void {
  dx.fill(0);
  const k = patchSize(g);
  const ci = g.inChannels;
  for (let b = 0; b < g.batch; b++) {
    for (let oy = 0; oy < g.outHeight; oy++) {
      for (let ox = 0; ox < g.outWidth; ox++) {
        const row = ((b * g.outHeight + oy) * g.outWidth + ox) * k;
        for (let fy = 0; fy < g.filterHeight; fy++) {
          const iy = oy * g.strideHeight - g.padTop + fy;
          if (iy < 0 || iy >= g.inHeight) continue;
          for (let fx = 0; fx < g.filterWidth; fx++) {
            const ix = ox * g.strideWidth - g.padLeft + fx;
            if (ix < 0 || ix >= g.inWidth) continue;
            const dst = ((b * g.inHeight + iy) * g.inWidth + ix) * ci;
            const src = row + (fy * g.filterWidth + fx) * ci;
            for (let c = 0; c < ci; c++)
              dx[dst + c] = (dx[dst + c] as number) + (cols[src + c] as number);
          }
        }
      }
    }
  }
}

/** filter [k, outChannels] → [outChannels, k], so the matmul below needs no transpose flag. */
function transposeFilter(filter: Float32Array, out: Float32Array, k: number, co: number): void {
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < co; j++) out[j * k + i] = filter[i * co + j] as number;
  }
}

/**
 * dL/dx of conv2d (NHWC, dilation 1) as dy · filterᵀ (XNNPACK) then col2im. tfjs 4.22's own
 * wasm kernel is a direct loop that dominated a CNN training step; NCHW still goes to it.
 */
export function conv2dBackpropInputWasm(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as Conv2DBackpropInputAttrs;
    const { dy, filter } = inputs;
    if (a.dataFormat === 'NCHW' || dy === undefined || filter === undefined) return original(args);
    const wasm = backend as BackendWasm;
    const g = convGeometry(Conv2DBackpropInput, a.inputShape, filter.shape, a);
    const k = patchSize(g);
    const co = g.outChannels;
    const filterT = wasm.makeOutput([co, k], 'float32');
    let cols: TensorInfo | undefined;
    const dx = wasm.makeOutput([...a.inputShape], 'float32');
    try {
      const filterView = wasm.typedArrayFromHeap(filter) as Float32Array;
      transposeFilter(filterView, wasm.typedArrayFromHeap(filterT) as Float32Array, k, co);
      cols = wasmMatMul(wasm, dy, filterT, outputPixels(g), co, k);
      const colsView = wasm.typedArrayFromHeap(cols) as Float32Array;
      col2im(colsView, wasm.typedArrayFromHeap(dx) as Float32Array, g);
      return dx;
    } catch (error) {
      wasm.disposeData(dx.dataId);
      throw error;
    } finally {
      wasm.disposeData(filterT.dataId);
      if (cols !== undefined) wasm.disposeData(cols.dataId);
    }
  };
}
