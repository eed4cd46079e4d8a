import { createRequire } from 'node:module';
import path from 'node:path';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { tf } from './tf.js';

const WASM_BINARIES = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/** What the wasm backend runs with once active. */
export interface WasmRuntime {
  simd: boolean;
  threads: number;
  /** Absolute path of the binary tfjs asked for; undefined if tfjs was initialised elsewhere. */
  binary?: string;
}

let pathsConfigured = false;
let requestedBinary: string | undefined;

/**
 * Points tfjs at the .wasm files inside its own npm package (absolute paths read with fs),
 * so nothing is fetched. The map's getters record which binary tfjs picks, which is how
 * we know for certain whether the SIMD build was loaded.
 */
function usePackagedBinaries(): void {
  if (pathsConfigured) return;
  const dist = path.dirname(
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'),
  );
  let armed = false;
  const fileMap: Record<string, string> = {};
  for (const name of WASM_BINARIES) {
    const file = path.join(dist, name);
    Object.defineProperty(fileMap, name, {
      enumerable: true,
      get: () => {
        if (armed) requestedBinary = file;
        return file;
      },
    });
  }
  // setWasmPaths reads every entry to validate the map; only later reads are tfjs choosing.
  setWasmPaths(fileMap);
  armed = true;
  pathsConfigured = true;
}

/**
 * Activates the wasm backend. Kernels registered for 'wasm' before this call (the trainer's
 * training kernels, packages/trainer/src/backend/select-training-backend.ts) are part of it.
 */
export async function activateWasm(): Promise<WasmRuntime> {
  // Has no effect if user code already initialised wasm; `binary` then stays unknown.
  usePackagedBinaries();
  if (!(await tf.setBackend('wasm'))) {
    throw new Error(
      `tf.setBackend('wasm') failed to initialise (binary ${requestedBinary ?? '?'})`,
    );
  }
  const simdFlag = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const simd = requestedBinary === undefined ? simdFlag : requestedBinary.includes('-simd');
  const runtime: WasmRuntime = { simd, threads: getThreadsCount() };
  return requestedBinary === undefined ? runtime : { ...runtime, binary: requestedBinary };
}
