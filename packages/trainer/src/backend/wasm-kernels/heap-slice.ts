import { slice_util, util, type KernelFunc, type SliceAttrs } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Slice on the wasm backend, reading the input where it lies in the wasm heap. tfjs 4.22's
 * kernel first copies the whole input out of the heap (`readSync`), so taking one 64-row
 * batch of a 10,000-row tensor cost as much as copying all of it (~20 ms). Copies one run of
 * the innermost dimension at a time; string tensors still go to the original.
 */
export function heapSliceWasm(original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs;
    if (x === undefined || x.dtype === 'string') return original(args);
    const wasm = backend as BackendWasm;
    const a = attrs as unknown as SliceAttrs;
    const [begin, size] = slice_util.parseSliceParams(x as never, a.begin, a.size) as [
      number[],
      number[],
    ];
    const out = wasm.makeOutput(size, x.dtype);
    if (util.sizeFromShape(size) === 0) return out;
    // Views are taken after makeOutput: allocating may grow (and so detach) the wasm heap.
    const source = wasm.typedArrayFromHeap(x);
    const target = wasm.typedArrayFromHeap(out);
    const strides = util.computeStrides(x.shape);
    if (slice_util.isSliceContinous(x.shape, begin, size)) {
      const offset = slice_util.computeFlatOffset(begin, strides);
      target.set(source.subarray(offset, offset + target.length));
      return out;
    }
    const rank = x.shape.length;
    const run = size[rank - 1] as number;
    const outer = size.slice(0, rank - 1);
    const at = new Array<number>(rank - 1).fill(0);
    for (let written = 0; written < target.length; written += run) {
      let offset = begin[rank - 1] as number;
      for (let d = 0; d < rank - 1; d++) {
        offset += ((begin[d] as number) + (at[d] as number)) * (strides[d] as number);
      }
      target.set(source.subarray(offset, offset + run), written);
      // Next index of the outer dimensions, last one fastest.
      for (let d = rank - 2; d >= 0; d--) {
        at[d] = (at[d] as number) + 1;
        if ((at[d] as number) < (outer[d] as number)) break;
        at[d] = 0;
      }
    }
    return out;
  };
}
