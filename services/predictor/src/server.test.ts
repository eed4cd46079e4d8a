/** The two ways to run the predictor: mounted in the API (all-in-one) and standalone. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { saveScaleModel } from './models.test-support.js';
import { predictorPlugin } from './plugin.js';
import { httpCall, openPredictorFixture, type PredictorFixture } from './predictor.test-support.js';
import { threadCount } from './predictor.js';
import { startPredictorServer } from './server.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/s/four', 4);
}, 60_000);
afterAll(() => f.close());

describe('mounting the predictor', () => {
  it('serves predictions from the API server it is mounted in (startApiServer plugins)', async () => {
    const api = await startApiServer(f.serverConfig(0), {
      logger: createApiLogger({ level: 'silent' }),
      plugins: [predictorPlugin()],
    });
    try {
      // Deployed after the server started: the plugin's own predictor hears it and loads it.
      expect((await f.deploy('mounted', 'v1', 'gs://demo/s/four')).state).toBe('READY');
      const token = f.tokens.editor;
      const predicted = await httpCall(
        `${api.url}/v1/projects/default/models/mounted:predict`,
        'POST',
        {
          token,
          body: { instances: [[1, 1]] },
        },
      );
      expect(predicted.body).toEqual({ predictions: [[4, 4]] });
      const jobs = await httpCall(`${api.url}/v1/projects/default/jobs`, 'GET', { token });
      expect(jobs.status).toBe(200);
      const doc = await httpCall<{ paths: Record<string, unknown> }>(
        `${api.url}/openapi.json`,
        'GET',
      );
      expect(Object.keys(doc.body.paths)).toContain('/v2/models/{model}/infer');
    } finally {
      await api.close();
    }
  });

  it('runs standalone with health routes and worker threads, without the job routes', async () => {
    const server = await startPredictorServer(f.serverConfig(1), {
      logger: createApiLogger({ level: 'silent' }),
    });
    try {
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
