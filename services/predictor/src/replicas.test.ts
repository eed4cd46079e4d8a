/**
 * Two standalone predictor processes (`src/main.ts`, real child processes)
 * on one Redis: both serve a version deployed after they started, exactly
 * one reports it READY, and both follow a new default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { saveScaleModel } from '@stratus/serving/testing';
import { httpCall, openPredictorFixture, type PredictorFixture } from './predictor.test-support.js';
import { TEST_REDIS_URL } from '../../../tests/support/redis-url.js';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

interface Replica {
  readonly child: ChildProcess;
  readonly url: string;
  readonly lines: Array<Record<string, unknown>>;
}

let f: PredictorFixture;
const replicas: Replica[] = [];

/** Start `main.ts` and wait for its "predictor listening" log line. */
const startReplica = (threads: number): Promise<Replica> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=stratus-src', MAIN], {
      env: {
        PATH: process.env.PATH,
        REDIS_URL: TEST_REDIS_URL,
        STRATUS_REDIS_PREFIX: f.prefix,
        STRATUS_HOME: f.trial.root,
        STRATUS_PORT: '0',
        STRATUS_TFJS_BACKEND: 'wasm',
        STRATUS_PREDICTOR_THREADS: String(threads),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: Array<Record<string, unknown>> = [];
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (entry.msg === 'predictor listening') resolve({ child, url: String(entry.url), lines });
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => reject(new Error(`predictor exited with ${String(code)}`)));
  });

beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/shared/one', 1);
  await saveScaleModel(f.trial.storage, 'gs://demo/shared/two', 2);
  replicas.push(...(await Promise.all([startReplica(0), startReplica(1)])));
}, 120_000);

afterAll(async () => {
  await Promise.all(
    replicas.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
  await f.close();
});

const predictAll = async (path: string) =>
  Promise.all(
    replicas.map(async ({ url }) => {
      const reply = await httpCall<{ predictions: number[][] }>(`${url}${path}`, 'POST', {
        token: f.tokens.editor,
        body: { instances: [[1, 2]] },
      });
      return reply.body.predictions?.[0];
    }),
  );

describe('predictor replicas on one Redis', () => {
  it('both serve a version deployed after they started; one of them reports it READY', async () => {
    for (const { url } of replicas) {
      expect((await httpCall(`${url}/healthz`, 'GET')).body).toEqual({ status: 'ok' });
    }
    expect((await f.deploy('shared', 'one', 'gs://demo/shared/one')).state).toBe('READY');
    expect(await predictAll('/v1/projects/default/models/shared:predict')).toEqual([
      [1, 2],
      [1, 2],
    ]);
    const loadedOne = () =>
      replicas.flatMap(({ lines }) =>
        lines.filter(
          (line) =>
            line.msg === 'version loaded' &&
            line.version === 'projects/default/models/shared/versions/one',
        ),
      );
    // Log lines reach stdout in batches (up to 200 ms late), so wait for them.
    await vi.waitFor(() => expect(loadedOne().length).toBeGreaterThan(0), { timeout: 5_000 });
    const reports = loadedOne();
    expect(reports).toHaveLength(1);
    expect(reports[0]?.state).toBe('READY');
  });

  it('both switch to a new default version as soon as it is set', async () => {
    expect((await f.deploy('shared', 'two', 'gs://demo/shared/two')).state).toBe('READY');
    expect(await predictAll('/v1/models/shared:predict')).toEqual([
      [1, 2],
      [1, 2],
    ]);
    await f.store.versions.setDefault('default', 'shared', 'two');
    await expect
      .poll(() => predictAll('/v1/models/shared:predict'), { timeout: 5000, interval: 50 })
      .toEqual([
        [2, 4],
        [2, 4],
      ]);
  });
});
