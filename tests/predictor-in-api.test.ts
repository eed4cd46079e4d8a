/**
 * The predictor mounted in the API, as the all-in-one server runs it (startApiServer's
 * `plugins`): prediction routes beside the job routes on one port, one OpenAPI document and
 * one /metrics. The predictor's own tests (services/predictor) run it standalone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { predictorPlugin } from '@stratus/predictor';
import {
  httpCall,
  openPredictorFixture,
  saveScaleModel,
  scrapeMetrics,
  type PredictorFixture,
} from '@stratus/predictor/testing';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/s/four', 4);
  await saveScaleModel(f.trial.storage, 'gs://demo/m/two', 2);
}, 60_000);
afterAll(() => f.close());

describe('the predictor mounted in the API', () => {
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
      // Unmatched paths: TF Serving's and KServe's prefixes answer {"error"}, the API's Google's shape.
      for (const path of ['/v1/models/mounted/versions/v1/nothing', '/v2/nothing']) {
        expect(await httpCall(`${api.url}${path}`, 'GET', { token })).toMatchObject({
          status: 404,
          body: { error: `No route GET ${path}` },
        });
      }
      const label = await httpCall(`${api.url}/v1/models/mounted/labels/canary`, 'GET', { token });
      expect([label.status, label.body]).toEqual([
        404,
        {
          error:
            'Label "canary" of model "projects/default/models/mounted" not found; its labels: stable',
        },
      ]);
      const google = await httpCall<{ error: { status: string; message: string } }>(
        `${api.url}/v1/projects/default/nothing`,
        'GET',
        { token },
      );
      expect([google.status, google.body.error.status, google.body.error.message]).toEqual([
        404,
        'NOT_FOUND',
        'No route GET /v1/projects/default/nothing',
      ]);
    } finally {
      await api.close();
    }
  });

  it('merges into the API’s /metrics when mounted in the API', async () => {
    const api = await startApiServer(f.serverConfig(0), {
      logger: createApiLogger({ level: 'silent' }),
      plugins: [predictorPlugin()],
    });
    try {
      expect((await f.deploy('m', 'fast', 'gs://demo/m/two')).state).toBe('READY');
      const token = f.tokens.editor;
      const reply = await httpCall(
        `${api.url}/v1/projects/default/models/m/versions/fast:predict`,
        'POST',
        {
          token,
          body: { instances: [[1, 2]] },
        },
      );
      expect(reply.body).toEqual({ predictions: [[2, 4]] });
      const m = await scrapeMetrics(api.url, f.tokens.viewer);
      expect(
        m.get(
          'stratus_predict_request_duration_seconds_count{protocol="cloud_ml",model="default/m",status_code="200"}',
        ),
      ).toBe(1);
      expect(m.get('stratus_predict_batch_size_sum{version="default/m/fast"}')).toBe(1);
      expect(m.get('stratus_predict_executor_threads')).toBe(0);
      // The API's own metrics are still there, the predict route among them.
      const apiPredicts = [...m.entries()].filter(
        ([key]) =>
          key.startsWith('stratus_http_request_duration_seconds_count{method="POST"') &&
          key.includes('::predict'),
      );
      expect(apiPredicts.map(([, value]) => value)).toEqual([1]);
      expect(m.get('stratus_workers{queue="cpu"}')).toBe(0);
    } finally {
      await api.close();
    }
  });
});
