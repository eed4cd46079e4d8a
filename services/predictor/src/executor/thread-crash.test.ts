/**
 * An executor thread that dies: the calls it held fail at once with 503
 * (PREDICTOR_UNAVAILABLE), nothing hangs, and a replacement thread with the
 * pool's models takes the next requests.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storageOptionsFromConfig } from '@stratus/config';
import { StratusError } from '@stratus/spec';
import { saveScaleModel } from '@stratus/serving/testing';
import { openPredictorFixture, type PredictorFixture } from '../predictor.test-support.js';
import { ThreadPoolExecutor } from './thread-pool.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/crash/three', 3);
  await saveScaleModel(f.trial.storage, 'gs://demo/crash/seven', 7);
}, 60_000);
afterAll(() => f.close());

const pool = () =>
  new ThreadPoolExecutor({
    threads: 1,
    storage: storageOptionsFromConfig(f.config),
    backend: 'wasm',
    maxModelParams: f.config.limits.maxModelParams,
    onnxThreads: 1,
  });

const row = (x: number, y: number) => [{ data: new Float32Array([x, y]), shape: [1, 2] }];

const rejection = async (promise: Promise<unknown>): Promise<StratusError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof StratusError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

describe('an executor thread that dies', () => {
  it('fails its in-flight calls with 503 and is replaced with the models reloaded', async () => {
    const executor = pool();
    await executor.start();
    try {
      await executor.load('default/m/three', 'gs://demo/crash/three', 'auto');
      const [worker] = executor.workers();
      // A load (slow: storage reads, a warm-up) then a batch queued behind it in the thread.
      const loading = executor.load('default/m/seven', 'gs://demo/crash/seven', 'auto');
      const running = executor.run('default/m/three', row(1, 2));
      await tick();
      await worker?.terminate();

      const [loadError, runError] = await Promise.all([rejection(loading), rejection(running)]);
      expect([runError.reason, runError.httpStatus, runError.message]).toEqual([
        'PREDICTOR_UNAVAILABLE',
        503,
        'The predictor cannot serve "executor thread" now: the thread exited with code 1',
      ]);
      expect(loadError.httpStatus).toBe(503);
      expect(executor.restarts).toBe(1);
      expect(executor.workers()[0]).not.toBe(worker);

      // The replacement holds the model that was loaded (not the one whose load died).
      const [output] = await executor.run('default/m/three', row(1, 2));
      expect([...(output?.data ?? [])]).toEqual([3, 6]);
      const missing = await rejection(executor.run('default/m/seven', row(1, 2)));
      expect(missing.context.detail).toBe('not loaded in this runner');
    } finally {
      await executor.close();
    }
  });

  it('answers every HTTP request (200 or 503, none hangs) while its thread is killed under load', async () => {
    const executor = pool();
    const server = await f.serve({}, executor);
    expect((await f.deploy('crash', 'v1', 'gs://demo/crash/three')).state).toBe('READY');
    const statuses: number[] = [];
    const errors = new Set<string>();
    let stop = false;
    const client = async () => {
      while (!stop) {
        const reply = await server.call<{ predictions?: number[][]; error?: { message: string } }>(
          'POST',
          '/v1/projects/default/models/crash:predict',
          { token: f.tokens.editor, body: { instances: [[1, 2]] } },
        );
        statuses.push(reply.status);
        if (reply.status === 200) expect(reply.body.predictions).toEqual([[3, 6]]);
        else errors.add(reply.body.error?.message ?? '');
      }
    };
    const clients = Array.from({ length: 4 }, client);
    await expect.poll(() => statuses.length, { timeout: 10_000 }).toBeGreaterThan(20);
    await executor.workers()[0]?.terminate();
    // Served again by the replacement thread.
    await expect.poll(() => executor.restarts).toBe(1);
    const served = statuses.length;
    await expect
      .poll(() => statuses.slice(served).filter((status) => status === 200).length, {
        timeout: 20_000,
      })
      .toBeGreaterThan(20);
    stop = true;
    await Promise.all(clients);
    expect(new Set(statuses)).toEqual(new Set(statuses.filter((s) => s === 200 || s === 503)));
    for (const message of errors) {
      expect(message).toMatch(/^The predictor cannot serve "executor thread" now: the thread/);
    }
    expect(server.predictor.threadRestarts).toBe(1);
    await server.close();
  }, 60_000);
});
