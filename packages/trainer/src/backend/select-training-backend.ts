import {
  selectBackend,
  type BackendInfo,
  type BackendPreference,
  type SelectBackendOptions,
} from '@stratus/bundle';
import { registerWasmTrainingKernels } from './wasm-kernels/register-wasm-kernels.js';

/**
 * `selectBackend` for training: registers the wasm kernels that training needs and
 * tfjs-backend-wasm lacks (wasm-kernels/register-wasm-kernels.ts) before the backend is
 * chosen, so a wasm backend trains CNNs. Inference (the predictor, `loadBundle`) never
 * runs gradients and uses `selectBackend` from `@stratus/bundle` directly.
 */
export async function selectTrainingBackend(
  preference: BackendPreference,
  options: SelectBackendOptions = {},
): Promise<BackendInfo> {
  registerWasmTrainingKernels();
  return selectBackend(preference, options);
}
