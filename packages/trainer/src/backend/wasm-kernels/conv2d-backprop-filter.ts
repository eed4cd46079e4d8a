import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convGeometry, outputPixels, patchSize, type ConvGeometry } from './conv-geometry.js';
import { wasmMatMul } from './wasm-matmul.js';

/**
 * Writes the transposed patch matrix: row k = (fy, fx, ci), column m = (b, oy, ox), so that
 * dW[k, :] = cols[k, :] · dy[m, :]. Transposed so the wasm BatchMatMul needs no transpose
 * flag: its transposeA path measured about 4x slower on these shapes.
 */
function im2colTransposed(x: Float32Array, cols: Float32Array, g: ConvGeometry): void {
  const m = outputPixels(g);
  const ci = g.inChannels;
  for (let fy = 0; fy < g.filterHeight; fy++) {
    for (let fx = 0; fx < g.filterWidth; fx++) {
      const rowBase = (fy * g.filterWidth + fx) * ci * m;
      for (let b = 0; b < g.batch; b++) {
        for (let oy = 0; oy < g.outHeight; oy++) {
          const iy = oy * g.strideHeight - g.padTop + fy;
          const col0 = (b * g.outHeight + oy) * g.outWidth;
          if (iy < 0 || iy >= g.inHeight) {
            for (let c = 0; c < ci; c++) {
              const start = rowBase + c * m + col0;
              cols.fill(0, start, start + g.outWidth);
            }
            continue;
          }
          const xRow = (b * g.inHeight + iy) * g.inWidth;
          for (let ox = 0; ox < g.outWidth; ox++) {
            const ix = ox * g.strideWidth - g.padLeft + fx;
            const dst = rowBase + col0 + ox;
            if (ix < 0 || ix >= g.inWidth) {
              for (let c = 0; c < ci; c++) cols[dst + c * m] = 0;
              continue;
            }
            const src = (xRow + ix) * ci;
            for (let c = 0; c < ci; c++) cols[dst + c * m] = x[src + c] as number;
          }
        }
      }
    }
  }
}

/** dL/dfilter of conv2d (NHWC, dilation 1) on the wasm backend: im2col + wasm BatchMatMul. */
export const conv2dBackpropFilterWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs;
  if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter needs x and dy');
  const a = attrs as unknown as Conv2DBackpropFilterAttrs;
  const g = convGeometry('Conv2DBackpropFilter', x.shape, a.filterShape, a);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter on wasm needs float32, got x ${x.dtype}, dy ${dy.dtype}`);
  }
  const k = patchSize(g);
  const m = outputPixels(g);
  const cols = wasm.makeOutput([k, m], 'float32');
  try {
    // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
    const xView = wasm.typedArrayFromHeap(x) as Float32Array;
    im2colTransposed(xView, wasm.typedArrayFromHeap(cols) as Float32Array, g);
    // dy is NHWC, so its buffer already is the [m, outChannels] matrix.
    const product = wasmMatMul(wasm, cols, dy, k, m, g.outChannels);
    return { dataId: product.dataId, shape: [...a.filterShape], dtype: 'float32' };
  } finally {
    wasm.disposeData(cols.dataId);
  }
};

export const conv2dBackpropFilterWasmConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm,
};
