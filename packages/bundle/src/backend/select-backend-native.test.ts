import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isStratusError } from '@stratus/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '@stratus/spec';
import { parseGpuNames, queryGpuName } from './gpu-device.js';
import { selectBackend } from './select-backend.js';
import { tf } from './tf.js';

// tfjs-node cannot be installed here (its install downloads libtensorflow), so these tests
// install small stand-in packages on disk. They register a 'tensorflow' backend the way
// tfjs-node does (the cpu backend underneath), which exercises resolution, dynamic loading,
// the gpu → node order and the fallbacks for real.
const requireHere = createRequire(import.meta.url);
const coreUrl = pathToFileURL(requireHere.resolve('@tensorflow/tfjs-core')).href;
const cpuUrl = pathToFileURL(requireHere.resolve('@tensorflow/tfjs-backend-cpu')).href;

const nativeStandIn = (usesGpu: boolean): string => `
import * as tf from '${coreUrl}';
import { MathBackendCPU } from '${cpuUrl}';
class StandInBackend extends MathBackendCPU {
  isGPUPackage = ${usesGpu};
  isUsingGpuDevice = ${usesGpu};
}
// Each stand-in install is separate; the test process loads several of them.
if (tf.findBackendFactory('tensorflow') !== null) tf.removeBackend('tensorflow');
tf.registerBackend('tensorflow', () => new StandInBackend(), 3);
for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: 'tensorflow' });
`;
const brokenNative = `throw new Error('libcudart.so.11.0: cannot open shared object file');\n`;

let root: string;

/** Writes node_modules/<pkg> packages under a fresh dir; returns a file inside it to resolve from. */
async function install(name: string, packages: Record<string, string>): Promise<string> {
  const dir = path.join(root, name);
  for (const [pkg, source] of Object.entries(packages)) {
    const pkgDir = path.join(dir, 'node_modules', pkg);
    await mkdir(pkgDir, { recursive: true });
    await writeFile(
      path.join(pkgDir, 'package.json'),
      JSON.stringify({ name: pkg, main: 'index.mjs' }),
    );
    await writeFile(path.join(pkgDir, 'index.mjs'), source);
  }
  return path.join(dir, 'entry.js');
}

const warnings = (): Logger & { warned: string[] } => {
  const warned: string[] = [];
  const none = (): void => undefined;
  return {
    warned,
    info: none,
    debug: none,
    error: none,
    warn: (obj) => warned.push(JSON.stringify(obj)),
  };
};

describe('selectBackend with native TensorFlow packages', () => {
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'stratus-native-'));
  });
  afterAll(async () => {
    if (tf.findBackendFactory('tensorflow') !== null) tf.removeBackend('tensorflow');
    await rm(root, { recursive: true, force: true });
  });

  it('falls back from a tfjs-node-gpu that fails to load to tfjs-node', async () => {
    const from = await install('gpu-broken', {
      '@tensorflow/tfjs-node-gpu': brokenNative,
      '@tensorflow/tfjs-node': nativeStandIn(false),
    });
    const logger = warnings();
    const info = await selectBackend('auto', { resolveFrom: from, logger });
    expect(info).toEqual({
      name: 'tensorflow',
      package: '@tensorflow/tfjs-node',
      gpu: false,
      reason:
        '@tensorflow/tfjs-node-gpu failed to load (libcudart.so.11.0: cannot open shared object file); @tensorflow/tfjs-node loaded',
    });
    expect(tf.getBackend()).toBe('tensorflow');
    expect(Array.from(tf.add(tf.tensor1d([1, 2]), 1).dataSync())).toEqual([2, 3]);
    expect(logger.warned).toEqual([
      JSON.stringify({
        package: '@tensorflow/tfjs-node-gpu',
        detail:
          '@tensorflow/tfjs-node-gpu failed to load (libcudart.so.11.0: cannot open shared object file)',
      }),
    ]);
  });

  it('prefers tfjs-node-gpu and reports the GPU when TensorFlow uses one', async () => {
    const from = await install('gpu-ok', {
      '@tensorflow/tfjs-node-gpu': nativeStandIn(true),
      '@tensorflow/tfjs-node': brokenNative,
    });
    const info = await selectBackend('tensorflow', { resolveFrom: from });
    expect(info).toMatchObject({
      name: 'tensorflow',
      package: '@tensorflow/tfjs-node-gpu',
      gpu: true,
    });
    const device = await queryGpuName();
    expect(info.device).toBe(device);
    expect(info.reason).toBe(
      `@tensorflow/tfjs-node-gpu loaded; TensorFlow uses GPU ${device ?? '(model unknown)'}`,
    );
  });

  it("'auto' goes on to wasm when every native package is broken", async () => {
    const from = await install('all-broken', { '@tensorflow/tfjs-node': brokenNative });
    const info = await selectBackend('auto', { resolveFrom: from });
    expect(info.name).toBe('wasm');
    expect(info.reason).toBe(
      '@tensorflow/tfjs-node-gpu not installed; @tensorflow/tfjs-node failed to load ' +
        '(libcudart.so.11.0: cannot open shared object file); wasm with SIMD, 1 thread',
    );
  });

  it("'tensorflow' names the package that failed", async () => {
    const from = await install('all-broken', { '@tensorflow/tfjs-node': brokenNative });
    const error: unknown = await selectBackend('tensorflow', { resolveFrom: from }).catch(
      (e: unknown) => e,
    );
    expect(isStratusError(error) && error.reason).toBe('TFJS_BACKEND_UNAVAILABLE');
    expect((error as Error).message).toContain(
      'unavailable: @tensorflow/tfjs-node-gpu not installed; @tensorflow/tfjs-node failed to load (libcudart.so.11.0',
    );
  });
});

describe('queryGpuName', () => {
  it('reads the first name nvidia-smi prints', async () => {
    const tool = path.join(await mkdtemp(path.join(tmpdir(), 'stratus-smi-')), 'nvidia-smi');
    await writeFile(tool, '#!/bin/sh\nprintf "NVIDIA H100 80GB HBM3\\nNVIDIA L4\\n"\n');
    await chmod(tool, 0o755);
    expect(await queryGpuName(tool)).toBe('NVIDIA H100 80GB HBM3');
    await rm(path.dirname(tool), { recursive: true, force: true });
  });

  it('gives undefined when the tool is missing', async () => {
    expect(await queryGpuName('/nonexistent/nvidia-smi')).toBeUndefined();
  });

  it('parses one name a line, ignoring blanks', () => {
    expect(parseGpuNames('  Tesla T4 \n\nNVIDIA A10G\n')).toEqual(['Tesla T4', 'NVIDIA A10G']);
  });
});
