import {
  BatchMatMul,
  Cast,
  Conv2DBackpropInput,
  GatherV2,
  Identity,
  MaxPoolGrad,
  Slice,
  Sum,
  _FusedMatMul,
  getKernel,
  registerKernel,
  unregisterKernel,
  type KernelConfig,
  type KernelFunc,
} from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterWasmConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input.js';
import { heapGatherWasm } from './heap-gather.js';
import { heapSliceWasm } from './heap-slice.js';
import { leadingAxesSumWasm } from './leading-axes-sum.js';
import { maxPoolGradWasm } from './max-pool-grad.js';
import { sameDtypeCastWasm, sharedIdentityWasm } from './shared-identity.js';
import { untransposedMatMulWasm } from './untransposed-mat-mul.js';

/** Kernels that tfjs-backend-wasm 4.22 lacks and training a CNN needs. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [conv2dBackpropFilterWasmConfig];

/** tfjs 4.22 wasm kernels replaced by faster ones; each gets the original to fall back on. */
const FASTER_KERNELS: Readonly<Record<string, (original: KernelFunc) => KernelFunc>> = {
  [Conv2DBackpropInput]: conv2dBackpropInputWasm,
  [MaxPoolGrad]: () => maxPoolGradWasm,
  [BatchMatMul]: untransposedMatMulWasm,
  [_FusedMatMul]: untransposedMatMulWasm,
  [GatherV2]: heapGatherWasm,
  [Slice]: heapSliceWasm,
  [Sum]: leadingAxesSumWasm,
  [Identity]: () => sharedIdentityWasm,
  [Cast]: sameDtypeCastWasm,
};

const ours = new WeakSet<KernelFunc>();

/**
 * Registers the missing wasm training kernels and swaps in the faster ones; returns the
 * kernel names it changed. Idempotent. A missing kernel that is already present (a future
 * tfjs that ships one) is left alone.
 */
export function registerWasmTrainingKernels(): string[] {
  const changed: string[] = [];
  for (const config of WASM_TRAINING_KERNELS) {
    if (getKernel(config.kernelName, config.backendName) !== undefined) continue;
    registerKernel(config);
    ours.add(config.kernelFunc);
    changed.push(config.kernelName);
  }
  for (const [name, faster] of Object.entries(FASTER_KERNELS)) {
    const original = getKernel(name, 'wasm');
    if (original === undefined || ours.has(original.kernelFunc)) continue;
    const kernelFunc = faster(original.kernelFunc);
    ours.add(kernelFunc);
    unregisterKernel(name, 'wasm');
    // The original's setupFunc still binds its wasm export, which the fallback path calls.
    registerKernel({ ...original, kernelFunc });
    changed.push(name);
  }
  return changed;
}

/** Whether the wasm kernel registered under `kernelName` is one of Stratus's. */
export function isStratusWasmKernel(kernelName: string): boolean {
  const kernel = getKernel(kernelName, 'wasm');
  return kernel !== undefined && ours.has(kernel.kernelFunc);
}
