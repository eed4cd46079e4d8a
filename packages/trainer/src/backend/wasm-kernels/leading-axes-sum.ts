import { util, type KernelFunc, type SumAttrs } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Sum over leading axes (e.g. a bias gradient: [batch, h, w, c] summed over [0, 1, 2]) of a
 * float32 tensor on the wasm backend, as one pass adding rows into a float64 accumulator.
 * tfjs 4.22's kernel transposes the summed axes innermost first (a full copy) and took ~4 ms
 * on a CNN's first conv output. Any other axes or dtype go to the original.
 */
export function leadingAxesSumWasm(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    if (x === undefined || x.dtype !== 'float32') return original(args);
    const a = attrs as unknown as SumAttrs;
    const axes = util.parseAxisParam(a.axis, x.shape).sort((p, q) => p - q);
    if (axes.length === 0 || axes.some((axis, i) => axis !== i)) return original(args);
    const wasm = backend as BackendWasm;
    const kept = x.shape.slice(axes.length);
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const width = util.sizeFromShape(kept);
    const shape = a.keepDims ? [...axes.map(() => 1), ...kept] : kept;
    const out = wasm.makeOutput(shape, 'float32');
    // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
    const source = wasm.typedArrayFromHeap(x) as Float32Array;
    const totals = new Float64Array(width);
    for (let r = 0; r < rows; r++) {
      const base = r * width;
      for (let j = 0; j < width; j++)
        totals[j] = (totals[j] as number) + (source[base + j] as number);
    }
    (wasm.typedArrayFromHeap(out) as Float32Array).set(totals);
    return out;
  };
}
