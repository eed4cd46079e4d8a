import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { coerceError } from '@stratus/spec';
import { queryGpuName } from './gpu-device.js';
import { tf } from './tf.js';

/** The native TensorFlow packages, in the order `auto` and `tensorflow` try them. */
export const NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;
export type NodePackage = (typeof NODE_PACKAGES)[number];

/** The outcome of trying one native package. */
export type NodeAttempt =
  | { ok: true; package: NodePackage; gpu: boolean; device?: string; note: string }
  | { ok: false; package: NodePackage; installed: boolean; note: string };

/** The fields tfjs-node's NodeJSKernelBackend carries about its device. */
interface NativeBackendFlags {
  isGPUPackage?: unknown;
  isUsingGpuDevice?: unknown;
}

/** Resolves a package entry from `from`, or undefined when it is not installed. */
export function resolvePackage(specifier: string, from: string | URL): string | undefined {
  try {
    return createRequire(from).resolve(specifier);
  } catch {
    return undefined;
  }
}

/**
 * Loads one native package (only when resolvable, so it is never a hard dependency) and
 * activates the 'tensorflow' backend it registers.
 */
export async function tryNodePackage(pkg: NodePackage, from: string | URL): Promise<NodeAttempt> {
  const entry = resolvePackage(pkg, from);
  if (entry === undefined)
    return { ok: false, package: pkg, installed: false, note: `${pkg} not installed` };
  try {
    // A computed specifier: neither tsc nor a bundler may try to resolve the package.
    const url: string = pathToFileURL(entry).href;
    await import(url);
    if (!(await tf.setBackend('tensorflow'))) {
      throw new Error("it registered no working 'tensorflow' backend");
    }
  } catch (error) {
    const detail = coerceError(error).message.split('\n')[0] ?? '';
    return { ok: false, package: pkg, installed: true, note: `${pkg} failed to load (${detail})` };
  }
  const flags = tf.backend() as NativeBackendFlags;
  const gpu = flags.isUsingGpuDevice === true;
  if (!gpu) {
    const note = pkg.endsWith('-gpu')
      ? `${pkg} loaded but TensorFlow sees no GPU`
      : `${pkg} loaded`;
    return { ok: true, package: pkg, gpu, note };
  }
  const device = await queryGpuName();
  const note = `${pkg} loaded; TensorFlow uses GPU ${device ?? '(model unknown)'}`;
  return device === undefined
    ? { ok: true, package: pkg, gpu, note }
    : { ok: true, package: pkg, gpu, device, note };
}
