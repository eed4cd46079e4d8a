import type { Logger } from '@stratus/spec';
/** What `STRATUS_TFJS_BACKEND` may ask for. */
export const BACKEND_PREFERENCES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

/** The tfjs backend names Stratus can end up on. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Which backend `selectBackend` activated, and why. */
export interface BackendInfo {
  readonly name: BackendName;
  /** The npm package that provides the backend. */
  readonly package: string;
  /** True when TensorFlow runs its kernels on a GPU. */
  readonly gpu: boolean;
  /** GPU model name, when known. */
  readonly device?: string;
  /** Why this backend: what was tried before it and what it runs with. */
  readonly reason: string;
  /** wasm only: whether the SIMD binary was loaded. */
  readonly simd?: boolean;
  /** wasm only: XNNPACK thread count. */
  readonly threads?: number;
  /** wasm only: absolute path of the .wasm binary that was loaded, when known. */
  readonly binary?: string;
}

export interface SelectBackendOptions {
  logger?: Logger;
  /**
   * Where `@tensorflow/tfjs-node(-gpu)` are resolved from (a file path or file URL).
   * @defaultValue this module's own location
   */
  resolveFrom?: string | URL;
}
