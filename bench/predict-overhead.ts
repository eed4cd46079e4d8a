// bench/predict-overhead: the predictor's CPU cost per request beyond a bare fastify route, in
// one process, without sockets (fastify's inject), so other load on the machine sways it little.
//   npm run bench:predict-overhead
// Serves one bench model (BENCH_MODEL: iris | mlp | cnn, default mlp) from a standalone
// predictor with model calls on the event loop (threads 0) and batching on (BENCH_BATCH, default
// 64), and a bare route that parses the same body and answers a constant. Sends BENCH_REQUESTS
// single-instance :predict requests, BENCH_CONCURRENCY at a time, to each, alternating, three
// rounds. Prints one JSON line: CPU µs per request (best round) of each and their difference.
// Needs Redis at REDIS_URL (fresh key prefix, removed at the end).
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { loadConfig } from '@stratus/config';
import { startPredictorServer } from '@stratus/predictor';
import { createJobStore, purgePrefix } from '@stratus/store';
import { trialFixture } from '@stratus/trainer/testing';
import { buildModels } from './predict-models.js';
import { TEST_REDIS_URL } from '../tests/support/redis-url.js';

const MODEL = process.env.BENCH_MODEL ?? 'mlp';
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const TOKEN = `stratus_bench_${randomUUID()}`;

/** CPU µs per request of `REQUESTS` POSTs of `body` to `url`, `CONCURRENCY` in flight. */
const cpuPerRequest = async (app: FastifyInstance, url: string, body: string): Promise<number> => {
  let sent = 0;
  let failed = 0;
  const loop = async (): Promise<void> => {
    while (sent < REQUESTS) {
      sent += 1;
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        payload: body,
      });
      if (response.statusCode !== 200) failed += 1;
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  const used = process.cpuUsage(before);
  if (failed > 0) throw new Error(`${failed} of ${REQUESTS} requests to ${url} failed`);
  return (used.user + used.system) / REQUESTS;
};

const fixture = await trialFixture();
const prefix = `bench-${randomUUID()}`;
const redis = new Redis(TEST_REDIS_URL);
const store = createJobStore({ redis, prefix });
try {
  const model = (await buildModels(fixture)).find((candidate) => candidate.name === MODEL);
  if (model === undefined) throw new Error(`BENCH_MODEL ${MODEL}: not iris, mlp or cnn`);
  await store.models.create('default', { name: model.name });
  await store.versions.create('default', model.name, {
    name: 'batched',
    deploymentUri: model.uri,
    batching: { maxBatchSize: BATCH, maxLatencyMs: 0 },
  });
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_HOME: fixture.root,
    STRATUS_PORT: '0',
    STRATUS_ADMIN_TOKEN: TOKEN,
    STRATUS_TFJS_BACKEND: 'wasm',
    STRATUS_PREDICTOR_THREADS: '0',
    LOG_LEVEL: 'warn',
  });
  const predictor = await startPredictorServer(config);
  while ((await store.versions.find('default', model.name, 'batched'))?.state !== 'READY') {
    await sleep(100);
  }
  const bare = Fastify({ logger: false, bodyLimit: 1_572_864 });
  bare.post('/ceiling', async () => ({ predictions: [[0]] }));
  await bare.ready();
  const body = JSON.stringify({ instances: [model.instance] });
  const url = `/v1/projects/default/models/${model.name}/versions/batched:predict`;
  const rounds: { bare: number; predict: number }[] = [];
  await cpuPerRequest(bare, '/ceiling', body);
  await cpuPerRequest(predictor.app, url, body);
  for (let round = 0; round < 3; round += 1) {
    rounds.push({
      bare: await cpuPerRequest(bare, '/ceiling', body),
      predict: await cpuPerRequest(predictor.app, url, body),
    });
  }
  const best = (pick: (round: { bare: number; predict: number }) => number): number =>
    Math.round(Math.min(...rounds.map(pick)));
  const bareUs = best((round) => round.bare);
  const predictUs = best((round) => round.predict);
  console.log(
    JSON.stringify({
      bench: 'predict-overhead',
      model: model.name,
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      bareCpuUsPerRequest: bareUs,
      predictCpuUsPerRequest: predictUs,
      overheadUs: predictUs - bareUs,
      rounds: rounds.map((round) => ({
        bare: Math.round(round.bare),
        predict: Math.round(round.predict),
      })),
    }),
  );
  await bare.close();
  await predictor.close();
} finally {
  await purgePrefix(redis, prefix);
  await redis.quit();
  await fixture.cleanup();
}
