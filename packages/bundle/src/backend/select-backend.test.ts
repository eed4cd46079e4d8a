import { createRequire } from 'node:module';
import { isStratusError } from '@stratus/spec';
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '@stratus/spec';
import { selectBackend } from './select-backend.js';
import { tf } from './tf.js';

const installed = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};
const nativeInstalled =
  installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');

const recordingLogger = (): Logger & { lines: [string, object, string?][] } => {
  const lines: [string, object, string?][] = [];
  const at =
    (level: string) =>
    (obj: object, msg?: string): void => {
      lines.push([level, obj, msg]);
    };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
};

describe('selectBackend', () => {
  // First on purpose: the cpu backend's one-time Node banner would fire on its first write.
  it("'cpu' activates the cpu backend and tfjs prints nothing to the console", async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const info = await selectBackend('cpu');
    expect(info).toEqual({
      name: 'cpu',
      package: '@tensorflow/tfjs-backend-cpu',
      gpu: false,
      reason: 'cpu requested',
    });
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(tf.square(tf.tensor1d([3])).dataSync())).toEqual([9]);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it.skipIf(nativeInstalled)(
    "'auto' picks wasm with SIMD here because tfjs-node is not installed",
    async () => {
      const logger = recordingLogger();
      const info = await selectBackend('auto', { logger });
      expect(info).toMatchObject({
        name: 'wasm',
        package: '@tensorflow/tfjs-backend-wasm',
        gpu: false,
        simd: true,
        threads: 1,
        reason:
          '@tensorflow/tfjs-node-gpu not installed; @tensorflow/tfjs-node not installed; wasm with SIMD, 1 thread',
      });
      expect(info.binary).toMatch(/tfjs-backend-wasm[/\\]dist[/\\]tfjs-backend-wasm-simd\.wasm$/);
      expect(tf.getBackend()).toBe('wasm');
      expect(logger.lines).toEqual([['info', { backend: info }, 'tfjs backend: wasm']]);
    },
  );

  it('returns the same result when called again, and makes that backend current again', async () => {
    const first = await selectBackend('auto');
    await tf.setBackend('cpu');
    const second = await selectBackend('auto');
    expect(second).toBe(first);
    expect(tf.getBackend()).toBe(first.name);
  });

  it("'wasm' says it was requested", async () => {
    const info = await selectBackend('wasm');
    expect(info.name).toBe('wasm');
    expect(info.reason).toBe('wasm requested; wasm with SIMD, 1 thread');
    expect(tf.getBackend()).toBe('wasm');
  });

  it.skipIf(nativeInstalled)("'tensorflow' fails with TFJS_BACKEND_UNAVAILABLE", async () => {
    const error: unknown = await selectBackend('tensorflow').catch((e: unknown) => e);
    expect(isStratusError(error) && error.reason).toBe('TFJS_BACKEND_UNAVAILABLE');
    expect((error as Error).message).toBe(
      'TensorFlow.js backend "tensorflow" is unavailable: @tensorflow/tfjs-node-gpu not installed; ' +
        '@tensorflow/tfjs-node not installed; install @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, ' +
        'or set STRATUS_TFJS_BACKEND to auto, wasm or cpu',
    );
    expect(tf.getBackend()).toBe('wasm');
  });
});
