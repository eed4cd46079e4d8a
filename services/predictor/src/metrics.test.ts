/** Prometheus metrics of the standalone predictor at its /metrics (tests/predictor-in-api.test.ts: merged into the API's). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiLogger } from '@stratus/http';
import { saveScaleModel } from '@stratus/serving/testing';
import {
  httpCall,
  openPredictorFixture,
  scrapeMetrics,
  type PredictorFixture,
} from './predictor.test-support.js';
import { startPredictorServer } from './server.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/m/two', 2);
}, 60_000);
afterAll(() => f.close());

describe('predictor metrics', () => {
  it('reports latency per protocol and model, batch sizes, queue depth, shed requests, loaded models', async () => {
    const server = await startPredictorServer(f.serverConfig(0), {
      logger: createApiLogger({ level: 'silent' }),
      options: { limits: { maxQueuedRows: 3 } },
    });
    try {
      // A long batch window: requests wait in the queue long enough to be seen there.
      const slow = { maxBatchSize: 64, maxLatencyMs: 1500 };
      expect((await f.deploy('m', 'slow', 'gs://demo/m/two', slow)).state).toBe('READY');
      expect((await f.deploy('m', 'fast', 'gs://demo/m/two')).state).toBe('READY');
      const token = f.tokens.editor;
      const predict = (path: string, instances: unknown[]) =>
        httpCall<{ predictions?: number[][]; error?: unknown }>(`${server.url}${path}`, 'POST', {
          token,
          body: { instances },
        });
      // Three rows wait in the slow version's queue (one request of 2, one of 1) …
      const queued = [
        predict('/v1/models/m/versions/slow:predict', [
          [1, 1],
          [2, 2],
        ]),
        predict('/v1/projects/default/models/m/versions/slow:predict', [[3, 3]]),
      ];
      await expect
        .poll(
          async () =>
            (await scrapeMetrics(server.url, token)).get(
              'stratus_predict_queue_rows{version="default/m/slow"}',
            ),
          {
            timeout: 1200,
            interval: 20,
          },
        )
        .toBe(3);
      // … so a fourth is shed with 429 instead of growing the queue.
      const shed = await predict('/v1/models/m/versions/slow:predict', [[4, 4]]);
      expect(shed.status).toBe(429);
      expect((await Promise.all(queued)).map((reply) => reply.body.predictions)).toEqual([
        [
          [2, 2],
          [4, 4],
        ],
        [[6, 6]],
      ]);
      for (let i = 0; i < 5; i += 1) {
        expect((await predict('/v1/models/m/versions/fast:predict', [[i, i]])).status).toBe(200);
      }
      const unauthorized = await httpCall(`${server.url}/v1/models/secret:predict`, 'POST', {
        body: { instances: [[1, 1]] },
      });
      expect(unauthorized.status).toBe(401);

      const m = await scrapeMetrics(server.url, token);
      const count = (protocol: string, status: number, model = 'default/m') =>
        m.get(
          `stratus_predict_request_duration_seconds_count{protocol="${protocol}",model="${model}",status_code="${status}"}`,
        );
      expect(count('tf_serving', 200)).toBe(6);
      expect(count('cloud_ml', 200)).toBe(1);
      expect(count('tf_serving', 429)).toBe(1);
      expect(count('tf_serving', 401, '(unknown)')).toBe(1);
      expect(
        m.get(
          'stratus_predict_shed_requests_total{protocol="tf_serving",model="default/m",status_code="429"}',
        ),
      ).toBe(1);
      // The two slow requests went in one call of 3 rows; the fast ones one row each.
      expect(m.get('stratus_predict_batch_size_count{version="default/m/slow"}')).toBe(1);
      expect(m.get('stratus_predict_batch_size_sum{version="default/m/slow"}')).toBe(3);
      expect(m.get('stratus_predict_batch_size_bucket{le="2",version="default/m/slow"}')).toBe(0);
      expect(m.get('stratus_predict_batch_size_bucket{le="4",version="default/m/slow"}')).toBe(1);
      expect(m.get('stratus_predict_batch_size_sum{version="default/m/fast"}')).toBe(5);
      expect(m.get('stratus_predict_queue_rows{version="default/m/slow"}')).toBe(0);
      expect(m.get('stratus_predict_loaded_versions')).toBe(2);
      // Two versions of a 2×2 float32 kernel, one copy each (inline executor).
      expect(m.get('stratus_predict_loaded_bytes')).toBe(2 * 16);
      expect(m.get('stratus_predict_memory_budget_bytes')).toBe(
        f.serverConfig(0).predictor.memoryBytes,
      );
      expect(m.get('stratus_predict_executor_threads')).toBe(0);
      expect(m.get('stratus_predict_executor_restarts_total')).toBe(0);
      expect(m.get('stratus_predictor_process_cpu_user_seconds_total')).toBeGreaterThan(0);

      const anonymous = await fetch(`${server.url}/metrics`);
      expect(anonymous.status).toBe(401);
    } finally {
      await server.close();
    }
  }, 60_000);
});
