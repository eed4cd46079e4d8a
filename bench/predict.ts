// bench/predict: online prediction throughput and latency, batching on vs off, against the HTTP
// ceiling and each model's own in-process throughput, all measured in this run.
//   npm run bench:predict   (node --import tsx --conditions=stratus-src bench/predict.ts)
// Needs Redis at REDIS_URL (fresh key prefix, removed at the end). A standalone predictor
// (services/predictor/src/main.ts, STRATUS_PREDICTOR_THREADS=BENCH_THREADS, default auto) and a
// bare fastify server run as child processes; autocannon runs here and sends traffic to
// 127.0.0.1 only. For each model (Iris bundle, MNIST-sized MLP, MNIST image_classifier CNN), a
// single-instance :predict with batching on (maxBatchSize BENCH_BATCH, maxLatencyMs 0) and off
// (maxBatchSize 1), at 1 and 64 connections, BENCH_SECONDS each. Prints one JSON line:
// requests/s, p50/p99 ms, server CPU µs per request, mean rows per model call, and the ratios batched/unbatched,
// predict/ceiling and batched/limit (limit = the lower of the ceiling for that body and the
// model's best in-process samples/s).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { threadCount } from '@stratus/predictor';
import { createJobStore, purgePrefix } from '@stratus/store';
import { trialFixture } from '@stratus/trainer/testing';
import { buildModels, modelThroughput, type ModelThroughput } from './predict-models.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const THREADS = process.env.BENCH_THREADS ?? 'auto';
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,64').split(',').map(Number);
/** Models to run (comma-separated names), default all. */
const MODELS = process.env.BENCH_MODELS?.split(',');
/** A folder for a V8 CPU profile of the predictor (`--cpu-prof`), written when it stops. */
const PROFILE = process.env.BENCH_PROFILE;
/** Versions to run: `batched` (maxBatchSize BENCH_BATCH) and `single` (1), default both. */
const VERSIONS = (process.env.BENCH_VERSIONS ?? 'batched,single').split(',');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TOKEN = `stratus_bench_${randomUUID()}`;

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  /**
   * CPU time the server process (all its threads) spent per request, in µs: less swayed by
   * other load on the machine than requests/s, and what bounds throughput once CPU-bound.
   */
  readonly cpuUsPerRequest?: number;
  /** Rows per model call (predictor runs; from its /metrics). */
  readonly meanBatchRows?: number;
}

/** User + system CPU of a process and all its threads so far, in µs (Linux /proc; clock ticks of 10 ms). */
const cpuUs = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
};

/** autocannon against `url` with `body` for `seconds`, after a one-second warm-up run. */
const load = async (
  url: string,
  connections: number,
  body: string,
  seconds = SECONDS,
  serverPid?: number,
): Promise<Load> => {
  const run = (duration: number) =>
    autocannon({
      url,
      connections,
      duration,
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
    });
  await run(1);
  const before = cpuUs(serverPid);
  const result = await run(seconds);
  const after = cpuUs(serverPid);
  return {
    rps: Math.round(result.requests.total / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    ...(before === undefined || after === undefined || result.requests.total === 0
      ? {}
      : { cpuUsPerRequest: Math.round((after - before) / result.requests.total) }),
  };
};

/** Rows and model calls of a version so far, from the predictor's /metrics. */
const batchTotals = async (
  port: number,
  version: string,
): Promise<{ rows: number; calls: number }> => {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  const text = await response.text();
  const sample = (name: string): number =>
    Number(new RegExp(`^${name}\\{version="${version}"\\} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  return {
    rows: sample('stratus_predict_batch_size_sum'),
    calls: sample('stratus_predict_batch_size_count'),
  };
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        resolve(typeof address === 'object' && address !== null ? address.port : 0),
      );
    });
  });

const tsx = (script: string, env: Record<string, string>, flags: string[] = []): ChildProcess =>
  spawn(
    process.execPath,
    [
      ...flags,
      ...(script.endsWith('.ts') ? ['--import', 'tsx', '--conditions=stratus-src'] : []),
      script,
    ],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );

const firstLine = (child: ChildProcess): Promise<string> =>
  new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`child exited with ${String(code)}`)));
  });

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

const ratio = (a: number, b: number): number => Number((a / b).toFixed(3));

const fixture = await trialFixture();
const prefix = `bench-${randomUUID()}`;
const redis = new Redis(REDIS_URL);
const store = createJobStore({ redis, prefix });
const children: ChildProcess[] = [];
try {
  const models = (await buildModels(fixture)).filter(
    (model) => MODELS === undefined || MODELS.includes(model.name),
  );
  const inProcess: Record<string, ModelThroughput> = {};
  for (const model of models) inProcess[model.name] = await modelThroughput(fixture, model);

  for (const model of models) {
    await store.createModel('default', { name: model.name });
    for (const [version, maxBatchSize] of [
      ['batched', BATCH],
      ['single', 1],
    ] as const) {
      await store.createVersion('default', model.name, {
        name: version,
        deploymentUri: model.uri,
        batching: { maxBatchSize, maxLatencyMs: 0 },
      });
    }
  }
  const port = await freePort();
  // BENCH_DIST=1: the built predictor (npm run build first), as deployed, rather than its source.
  const predictor = tsx(
    process.env.BENCH_DIST === '1'
      ? 'services/predictor/dist/main.js'
      : 'services/predictor/src/main.ts',
    {
      REDIS_URL,
      STRATUS_REDIS_PREFIX: prefix,
      STRATUS_HOME: fixture.root,
      STRATUS_PORT: String(port),
      STRATUS_ADMIN_TOKEN: TOKEN,
      STRATUS_TFJS_BACKEND: 'wasm',
      STRATUS_PREDICTOR_THREADS: String(THREADS),
      LOG_LEVEL: 'warn',
      ...(process.env.BENCH_NODE_OPTIONS === undefined
        ? {}
        : { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }),
    },
    PROFILE === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`],
  );
  children.push(predictor);
  const bare = tsx('bench/bare-fastify.ts', {});
  children.push(bare);
  const ceilingUrl = `${(JSON.parse(await firstLine(bare)) as { url: string }).url}/ceiling`;
  for (const model of models) {
    for (const version of ['batched', 'single']) {
      for (;;) {
        const state = (await store.findVersion('default', model.name, version))?.state;
        if (state === 'READY') break;
        if (state === 'FAILED') throw new Error(`${model.name}/${version} FAILED`);
        await sleep(100);
      }
    }
  }

  // JIT and first-touch warm-up of every route the runs below measure (results discarded).
  for (const model of models) {
    const body = JSON.stringify({ instances: [model.instance] });
    for (const version of ['batched', 'single']) {
      await load(
        `http://127.0.0.1:${port}/v1/projects/default/models/${model.name}/versions/${version}:predict`,
        64,
        body,
        2,
      );
    }
  }
  const tiny = JSON.stringify({ instances: [[0]] });
  const ceiling: Record<string, Load> = {};
  for (const connections of CONNECTIONS)
    ceiling[`c${connections}`] = await load(ceilingUrl, connections, tiny, SECONDS, bare.pid);
  const results: Record<string, unknown> = {};
  for (const model of models) {
    const body = JSON.stringify({ instances: [model.instance] });
    const base = `http://127.0.0.1:${port}/v1/projects/default/models/${model.name}/versions`;
    const runs: Record<string, Load> = {};
    for (const connections of CONNECTIONS) {
      runs[`ceiling_c${connections}`] = await load(
        ceilingUrl,
        connections,
        body,
        SECONDS,
        bare.pid,
      );
      for (const version of VERSIONS) {
        const key = `default/${model.name}/${version}`;
        const before = await batchTotals(port, key);
        const result = await load(
          `${base}/${version}:predict`,
          connections,
          body,
          SECONDS,
          predictor.pid,
        );
        const after = await batchTotals(port, key);
        const calls = after.calls - before.calls;
        // Mean rows per model call over the run (its warm-up second included).
        const meanBatchRows =
          calls === 0 ? 0 : Number(((after.rows - before.rows) / calls).toFixed(1));
        runs[`${version}_c${connections}`] = { ...result, meanBatchRows };
      }
    }
    const batched = runs.batched_c64?.rps ?? 0;
    const bodyCeiling = runs.ceiling_c64?.rps ?? 0;
    const model64 = inProcess[model.name]?.best ?? 0;
    const limit = Math.min(bodyCeiling, model64);
    results[model.name] = {
      runs,
      inProcess: inProcess[model.name],
      limit,
      batchedOverUnbatched: ratio(batched, runs.single_c64?.rps ?? 1),
      batchedOverLimit: ratio(batched, limit),
      predictOverCeiling: ratio(batched, ceiling.c64?.rps ?? 1),
      predictOverBodyCeiling: ratio(batched, bodyCeiling),
      // The share of the ceiling a CPU-bound predictor could reach: ceiling CPU / predict CPU per request.
      cpuBoundPredictOverBodyCeiling:
        runs.ceiling_c64?.cpuUsPerRequest === undefined ||
        runs.batched_c64?.cpuUsPerRequest === undefined
          ? null
          : ratio(runs.ceiling_c64.cpuUsPerRequest, runs.batched_c64.cpuUsPerRequest),
    };
  }
  console.log(
    JSON.stringify({
      bench: 'predict',
      date: new Date().toISOString().slice(0, 10),
      cpus: cpus().length,
      loadAverage: loadavg().map((load) => Number(load.toFixed(2))),
      node: process.version,
      backend: 'wasm',
      predictorThreads: threadCount(THREADS === 'auto' ? 'auto' : Number(THREADS)),
      maxBatchSize: BATCH,
      seconds: SECONDS,
      ceiling,
      models: results,
    }),
  );
} finally {
  await Promise.all(children.map(stop));
  await purgePrefix(redis, prefix);
  await redis.quit();
  await fixture.cleanup();
}
