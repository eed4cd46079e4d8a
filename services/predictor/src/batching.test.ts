/** Dynamic batching, overload shedding, tensor hygiene and the memory budget, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveEmbeddingModel, saveScaleModel } from '@stratus/serving/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  type TestServer,
} from './predictor.test-support.js';

let f: PredictorFixture;
beforeAll(async () => {
  f = await openPredictorFixture();
  for (const scale of [1, 2, 3])
    await saveScaleModel(f.trial.storage, `gs://demo/scale/${scale}`, scale);
}, 60_000);
afterAll(() => f.close());

const path = (model: string, version?: string) =>
  `/v1/projects/default/models/${model}${version === undefined ? '' : `/versions/${version}`}:predict`;
type Reply = {
  predictions?: number[][];
  error?: { message: string; details: Array<{ reason?: string }> };
};
const predict = (server: TestServer, model: string, instances: unknown[], version?: string) =>
  server.call<Reply>('POST', path(model, version), { token: f.tokens.editor, body: { instances } });

describe('dynamic batching', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await f.serve();
    await f.deploy('merge', 'v1', 'gs://demo/scale/3', { maxBatchSize: 80, maxLatencyMs: 1000 });
    await f.deploy('split', 'v1', 'gs://demo/scale/2', { maxBatchSize: 4, maxLatencyMs: 0 });
  });
  afterAll(() => server.close());

  it('merges concurrent requests into few model calls and answers each in order', async () => {
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        predict(server, 'merge', [
          [i, i + 1],
          [i, -1],
        ]),
      ),
    );
    replies.forEach((reply, i) => {
      expect(reply.status).toBe(200);
      expect(reply.body.predictions).toEqual([
        [3 * i, 3 * (i + 1)],
        [3 * i, -3],
      ]);
    });
    const stats = server.predictor.stats('default/merge/v1');
    expect(stats.requests).toBe(40);
    expect(stats.rows).toBe(80);
    // 80 rows fill one batch of 80, sent as soon as it is full (well before the 1 s deadline);
    // a second call only if some requests took over a second to arrive.
    expect(stats.calls).toBeLessThanOrEqual(2);
  });

  it('splits a request larger than maxBatchSize across calls and reassembles it', async () => {
    const instances = Array.from({ length: 10 }, (_, i) => [i, 10 * i]);
    const reply = await predict(server, 'split', instances);
    expect(reply.body.predictions).toEqual(instances.map(([a = 0, b = 0]) => [2 * a, 2 * b]));
    expect(server.predictor.stats('default/split/v1')).toEqual({ requests: 1, calls: 3, rows: 10 });
  });

  it('fails only the request with a bad instance; the ones batched beside it succeed', async () => {
    const before = server.predictor.stats('default/merge/v1');
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        predict(
          server,
          'merge',
          i === 7
            ? [
                [1, 2],
                [3, 'x'],
              ]
            : [[i, 1]],
        ),
      ),
    );
    replies.forEach((reply, i) => {
      if (i === 7) {
        expect(reply.status).toBe(400);
        expect(reply.body.error?.message).toBe(
          'Invalid prediction request: instances[1]: input "xy" must be a finite number, got a string',
        );
      } else {
        expect(reply.body.predictions).toEqual([[3 * i, 3]]);
      }
    });
    const after = server.predictor.stats('default/merge/v1');
    expect(after.rows - before.rows).toBe(19);
    expect(after.calls - before.calls).toBeLessThanOrEqual(2);
  });
});

describe('a batch the model refuses', () => {
  it('is retried request by request, so only the request that broke it fails (400)', async () => {
    await saveEmbeddingModel(f.trial.storage, 'gs://demo/embedding');
    const server = await f.serve();
    await f.deploy('lookup', 'v1', 'gs://demo/embedding', { maxBatchSize: 100, maxLatencyMs: 300 });
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => predict(server, 'lookup', [[i === 4 ? 10 : i % 5]])),
    );
    replies.forEach((reply, i) => {
      if (i === 4) {
        expect(reply.status).toBe(400);
        expect(reply.body.error?.message).toBe(
          'Invalid prediction request: the model failed on these instances: GatherV2: the index value 10 is not in [0, 4]',
        );
      } else {
        expect(reply.status).toBe(200);
        expect(reply.body.predictions?.[0]).toHaveLength(2);
      }
    });
    // Requests 0 and 5 asked for the same row.
    expect(replies[5]?.body.predictions).toEqual(replies[0]?.body.predictions);
    const stats = server.predictor.stats('default/lookup/v1');
    expect(stats.rows).toBeGreaterThan(10);
    await server.close();
  });
});

describe('overload', () => {
  it('sheds load with 429 once a version has maxQueuedRows waiting, and serves the queue', async () => {
    const server = await f.serve({ maxQueuedRows: 8 });
    await f.deploy('slow', 'v1', 'gs://demo/scale/1', { maxBatchSize: 1000, maxLatencyMs: 400 });
    const queued = Array.from({ length: 8 }, (_, i) => predict(server, 'slow', [[i, 0]]));
    await expect.poll(() => server.predictor.stats('default/slow/v1').requests).toBe(8);
    const shed = await predict(server, 'slow', [[9, 9]]);
    expect(shed.status).toBe(429);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(shed.body.error?.details[0]?.reason).toBe('PREDICT_OVERLOADED');
    expect(shed.body.error?.message).toBe(
      'Version "projects/default/models/slow/versions/v1" is overloaded: 8 rows are waiting and the limit is 8; retry later',
    );
    const served = await Promise.all(queued);
    expect(served.map((reply) => reply.body.predictions?.[0]?.[0])).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(server.predictor.stats('default/slow/v1').calls).toBe(1);
    await server.close();
  });

  it('answers 503 to queued and new requests while the predictor shuts down', async () => {
    const server = await f.serve();
    await f.deploy('closing', 'v1', 'gs://demo/scale/1', {
      maxBatchSize: 1000,
      maxLatencyMs: 5000,
    });
    const queued = predict(server, 'closing', [[1, 1]]);
    await expect.poll(() => server.predictor.stats('default/closing/v1').requests).toBe(1);
    await server.predictor.close();
    const [waiting, fresh] = await Promise.all([queued, predict(server, 'closing', [[1, 1]])]);
    for (const reply of [waiting, fresh]) {
      expect(reply.status).toBe(503);
      expect(reply.headers.get('retry-after')).toBe('1');
      expect(reply.body.error?.details[0]?.reason).toBe('PREDICTOR_UNAVAILABLE');
    }
    await server.close();
  });
});

describe('tensors and memory', () => {
  it('holds no tensor after 10,000 requests on the worker-thread executor', async () => {
    const server = await f.serve({ threads: 1 });
    await f.deploy('busy', 'v1', 'gs://demo/scale/2', { maxBatchSize: 32, maxLatencyMs: 0 });
    expect((await predict(server, 'busy', [[1, 1]])).status).toBe(200);
    const [before] = await server.predictor.memory();
    let next = 0;
    let wrong = 0;
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 10_000) {
          const i = next++;
          const reply = await predict(server, 'busy', [[i, 1]]);
          if (reply.body.predictions?.[0]?.[0] !== 2 * i) wrong += 1;
        }
      }),
    );
    expect(wrong).toBe(0);
    const [after] = await server.predictor.memory();
    expect(after?.numTensors).toBe(before?.numTensors);
    expect(after?.numBytes).toBe(before?.numBytes);
    const stats = server.predictor.stats('default/busy/v1');
    expect(stats.requests).toBe(10_001);
    expect(stats.calls).toBeLessThan(10_001);
    await server.close();
  }, 120_000);

  it('unloads the least recently used version beyond the memory budget and reloads it on demand', async () => {
    // Each scale model holds one 2x2 float32 kernel: 16 bytes. The budget fits one.
    const server = await f.serve({ memoryBytes: 20 });
    await f.deploy('lru_a', 'v1', 'gs://demo/scale/1');
    await f.deploy('lru_b', 'v1', 'gs://demo/scale/2');
    await server.predictor.settled();
    expect((await predict(server, 'lru_a', [[1, 1]])).body.predictions).toEqual([[1, 1]]);
    expect(server.predictor.loadedVersions()).toEqual(['default/lru_a/v1']);
    expect((await predict(server, 'lru_b', [[1, 1]])).body.predictions).toEqual([[2, 2]]);
    expect(server.predictor.loadedVersions()).toEqual(['default/lru_b/v1']);
    const [memory] = await server.predictor.memory();
    expect(memory?.numBytes).toBe(16);
    await server.close();
  });
});
