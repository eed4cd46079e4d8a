import { backend_util, type KernelFunc, type MaxPoolGradAttrs } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Routes each window's gradient to its first maximum (strict `>` in row-major window order,
 * as the cpu backend does, so ties such as ReLU zeros match it). One pass over the windows,
 * each channel's maximum kept in locals: tfjs 4.22's wasm kernel took ~4x longer, and keeping
 * them in per-pixel arrays (refilled for every output pixel) most of this one's time.
 */
export const maxPoolGradWasm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { dy, input } = inputs;
  if (dy === undefined || input === undefined) throw new Error('MaxPoolGrad needs dy and input');
  const a = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    a.filterSize,
    a.strides,
    1,
    a.pad,
    a.dimRoundingMode,
  );
  const dxInfo = wasm.makeOutput([...input.shape], 'float32');
  const x = wasm.typedArrayFromHeap(input) as Float32Array;
  const grad = wasm.typedArrayFromHeap(dy) as Float32Array;
  const dx = wasm.typedArrayFromHeap(dxInfo) as Float32Array;
  dx.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = Math.max(0, oy * info.strideHeight - info.padInfo.top);
      const yEnd = Math.min(
        inHeight,
        oy * info.strideHeight - info.padInfo.top + info.filterHeight,
      );
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = Math.max(0, ox * info.strideWidth - info.padInfo.left);
        const xEnd = Math.min(
          inWidth,
          ox * info.strideWidth - info.padInfo.left + info.filterWidth,
        );
        const dyBase = ((b * outHeight + oy) * outWidth + ox) * ch;
        for (let c = 0; c < ch; c++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let iy = y0; iy < yEnd; iy++) {
            for (let ix = x0; ix < xEnd; ix++) {
              const i = ((b * inHeight + iy) * inWidth + ix) * ch + c;
              const v = x[i] as number;
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] = (dx[at] as number) + (grad[dyBase + c] as number);
        }
      }
    }
  }
  return dxInfo;
};
