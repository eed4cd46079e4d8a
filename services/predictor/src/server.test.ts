/** The standalone predictor server (tests/predictor-in-api.test.ts mounts it in the API). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiLogger } from '@stratus/http';
import { saveScaleModel } from '@stratus/serving/testing';
import { httpCall, openPredictorFixture, type PredictorFixture } from './predictor.test-support.js';
import { threadCount } from './predictor.js';
import { startPredictorServer } from './server.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/s/four', 4);
}, 60_000);
afterAll(() => f.close());

describe('the standalone predictor', () => {
  it('runs standalone with health routes and worker threads, without the job routes', async () => {
    const server = await startPredictorServer(f.serverConfig(1), {
      logger: createApiLogger({ level: 'silent' }),
    });
    try {
      // Deployed after the server started: its predictor hears it and loads it.
      expect((await f.deploy('mounted', 'v1', 'gs://demo/s/four')).state).toBe('READY');
      const token = f.tokens.editor;
      expect((await httpCall(`${server.url}/readyz`, 'GET')).body).toMatchObject({ status: 'ok' });
      const predicted = await httpCall(`${server.url}/v1/models/mounted:predict`, 'POST', {
        token,
        body: { instances: [[2, 3]] },
      });
      expect(predicted.body).toEqual({ predictions: [[8, 12]] });
      const jobs = await httpCall<{ error: { status: string } }>(
        `${server.url}/v1/projects/default/jobs`,
        'GET',
        {
          token,
        },
      );
      expect([jobs.status, jobs.body.error.status]).toEqual([404, 'NOT_FOUND']);
    } finally {
      await server.close();
    }
  });
});

describe('STRATUS_PREDICTOR_THREADS=auto', () => {
  it('keeps model calls on the event loop on 1 core and uses cores - 1 (1 to 4) beyond', () => {
    expect([1, 2, 3, 4, 8, 16].map((cores) => threadCount('auto', cores))).toEqual([
      0, 1, 2, 3, 4, 4,
    ]);
    expect(threadCount(3, 2)).toBe(3);
  });
});
