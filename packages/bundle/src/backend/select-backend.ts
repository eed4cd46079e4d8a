import { StratusError, coerceError, type Logger } from '@stratus/spec';
import type { BackendInfo, BackendPreference, SelectBackendOptions } from './backend-types.js';
import { NODE_PACKAGES, tryNodePackage } from './node-backend.js';
import { tf } from './tf.js';
import { activateWasm, type WasmRuntime } from './wasm-setup.js';

const selections = new Map<string, Promise<BackendInfo>>();

const describeWasm = (runtime: WasmRuntime): string =>
  `wasm ${runtime.simd ? 'with' : 'without'} SIMD, ${runtime.threads} thread${runtime.threads === 1 ? '' : 's'}`;

async function tryNative(
  from: string | URL,
  notes: string[],
  logger: Logger | undefined,
): Promise<BackendInfo | undefined> {
  for (const pkg of NODE_PACKAGES) {
    const attempt = await tryNodePackage(pkg, from);
    if (attempt.ok) {
      const reason = [...notes, attempt.note].join('; ');
      const info: BackendInfo = { name: 'tensorflow', package: pkg, gpu: attempt.gpu, reason };
      return attempt.device === undefined ? info : { ...info, device: attempt.device };
    }
    if (attempt.installed)
      logger?.warn({ package: pkg, detail: attempt.note }, 'tfjs native backend failed');
    notes.push(attempt.note);
  }
  return undefined;
}

async function choose(
  preference: BackendPreference,
  from: string | URL,
  logger: Logger | undefined,
): Promise<BackendInfo> {
  // tfjs prints banners and warnings with console.*; Stratus reports through its logger.
  tf.enableProdMode();
  const notes: string[] = [];
  if (preference === 'auto' || preference === 'tensorflow') {
    const native = await tryNative(from, notes, logger);
    if (native !== undefined) return native;
    if (preference === 'tensorflow') {
      const detail = `${notes.join('; ')}; install @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, or set STRATUS_TFJS_BACKEND to auto, wasm or cpu`;
      throw new StratusError('TFJS_BACKEND_UNAVAILABLE', { backend: 'tensorflow', detail });
    }
  }
  if (preference === 'auto' || preference === 'wasm') {
    try {
      const runtime = await activateWasm();
      const reason = [
        ...(preference === 'wasm' ? ['wasm requested'] : notes),
        describeWasm(runtime),
      ];
      const { simd, threads, binary } = runtime;
      const info: BackendInfo = {
        name: 'wasm',
        package: '@tensorflow/tfjs-backend-wasm',
        gpu: false,
        reason: reason.join('; '),
        simd,
        threads,
      };
      return binary === undefined ? info : { ...info, binary };
    } catch (error) {
      const detail = coerceError(error).message;
      if (preference === 'wasm') {
        throw new StratusError(
          'TFJS_BACKEND_UNAVAILABLE',
          { backend: 'wasm', detail },
          { cause: error },
        );
      }
      logger?.warn({ detail }, 'tfjs wasm backend failed; falling back to cpu');
      notes.push(`wasm failed to initialise (${detail})`);
    }
  }
  if (!(await tf.setBackend('cpu'))) {
    throw new StratusError('TFJS_BACKEND_UNAVAILABLE', {
      backend: 'cpu',
      detail: 'initialisation failed',
    });
  }
  const reason =
    preference === 'cpu' ? 'cpu requested' : [...notes, 'pure-JS cpu backend'].join('; ');
  return { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', gpu: false, reason };
}

/**
 * Activates the TensorFlow.js backend for `preference` (docs/operations.md order for `auto`:
 * tfjs-node-gpu, tfjs-node, wasm, cpu) and says which one and why. Idempotent: a repeated call
 * returns the same BackendInfo and makes that backend current again.
 */
export async function selectBackend(
  preference: BackendPreference,
  options: SelectBackendOptions = {},
): Promise<BackendInfo> {
  const from = options.resolveFrom ?? import.meta.url;
  const key = `${preference}\n${String(from)}`;
  let pending = selections.get(key);
  if (pending === undefined) {
    pending = choose(preference, from, options.logger);
    selections.set(key, pending);
    pending.then(
      (info) => options.logger?.info({ backend: info }, `tfjs backend: ${info.name}`),
      () => selections.delete(key),
    );
  }
  const info = await pending;
  if (tf.getBackend() !== info.name && !(await tf.setBackend(info.name))) {
    throw new StratusError('TFJS_BACKEND_UNAVAILABLE', {
      backend: info.name,
      detail: 'it was selected before but can no longer be activated',
    });
  }
  return info;
}
