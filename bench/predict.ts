// bench/predict: online prediction throughput and latency, batching on vs off, against the HTTP
// ceiling and each model's own in-process throughput, all measured in this run.
//   npm run bench:predict   (node --import tsx --conditions=stratus-src bench/predict.ts)
// Needs Redis at REDIS_URL (fresh key prefix, removed at the end). A standalone predictor
// (services/predictor/src/main.ts, STRATUS_PREDICTOR_THREADS=BENCH_THREADS, default auto) and a
// bare fastify server run as child processes; autocannon runs here and sends traffic to
// 127.0.0.1 only. For each model (Iris bundle, MNIST-sized MLP, MNIST image_classifier CNN), a
// single-instance :predict with batching on (maxBatchSize BENCH_BATCH, maxLatencyMs 0) on
// TensorFlow.js (`batched`: the predictor runs with STRATUS_PREDICT_RUNTIME=tfjs) and on ONNX
// Runtime (`batched_onnx`: the same bundle as a framework: ONNX version), and off (maxBatchSize 1,
// `single`, tfjs), at 1 and 64 connections, BENCH_SECONDS each, BENCH_ROUNDS (default 3) rounds
// interleaved with the ceiling for the same body, parsed as the predictor parses it
// (bench/bare-fastify.ts `/ceiling-packed`); each figure is the median round. Prints one JSON
// line: requests/s, p50/p99 ms, server CPU µs per request (all threads, and the main thread's),
// mean rows per model call, each model's in-process samples/s on tfjs and on ONNX Runtime
// (BENCH_ONNX_THREADS intra-op threads, default 1; interleaved rounds, median per batch size), and
// the ratios batched/unbatched, predict/ceiling and batched/limit per runtime (limit = the lower of
// the ceiling for that body and the runtime's best in-process samples/s).
// BENCH_THREAD_CPU=1 adds CPU per request by thread name; BENCH_BASELINE=dir runs the built
// predictor of another checkout in the same rounds (an A/B under the same machine load).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
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
import { buildModels, modelThroughput, type RuntimeThroughput } from './predict-models.js';
import { TEST_REDIS_URL } from '../tests/support/redis-url.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Rounds of each measurement, interleaved (ceiling, batched, single, ceiling, …); medians reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const THREADS = process.env.BENCH_THREADS ?? 'auto';
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '1,64').split(',').map(Number);
/** Models to run (comma-separated names), default all. */
const MODELS = process.env.BENCH_MODELS?.split(',');
/** A folder for a V8 CPU profile of the predictor (`--cpu-prof`), written when it stops. */
const PROFILE = process.env.BENCH_PROFILE;
/**
 * Versions to run: `batched` (maxBatchSize BENCH_BATCH, tfjs), `batched_onnx` (the same on ONNX
 * Runtime) and `single` (1, tfjs), default all three.
 */
const VERSIONS = (process.env.BENCH_VERSIONS ?? 'batched,batched_onnx,single').split(',');
/** Intra-op threads of ONNX Runtime, in process and in the predictor. */
const ONNX_THREADS = process.env.BENCH_ONNX_THREADS ?? '1';
/** Another checkout whose built predictor runs beside this one, for an A/B in the same rounds. */
const BASELINE = process.env.BENCH_BASELINE;
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
  /** Of that, the main thread's (the event loop that parses and answers HTTP). */
  readonly mainCpuUsPerRequest?: number;
  /** CPU µs per request by thread name (BENCH_THREAD_CPU=1; Linux names, the main thread `main`). */
  readonly threadCpuUsPerRequest?: Record<string, number>;
  /** Rows per model call (predictor runs; from its /metrics). */
  readonly meanBatchRows?: number;
  /** Requests/s of every round, in order (BENCH_ROUNDS > 1; the figures above are the median's). */
  readonly roundsRps?: readonly number[];
}

/**
 * User + system CPU of a process and all its threads so far, or of its main thread alone
 * (`main`), in µs (Linux /proc; clock ticks of 10 ms).
 */
const cpuUs = (pid: number | undefined, thread?: number | string): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
};

/** CPU µs so far of each thread of a process, summed by thread name (the main thread is `main`). */
const threadCpuUs = (pid: number | undefined): Map<string, number> => {
  const byName = new Map<string, number>();
  if (pid === undefined || process.env.BENCH_THREAD_CPU !== '1') return byName;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name =
        tid === String(pid) ? 'main' : readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const used = cpuUs(pid, tid);
      if (used !== undefined) byName.set(name, (byName.get(name) ?? 0) + used);
    } catch {
      // The thread ended.
    }
  }
  return byName;
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
  const mainBefore = cpuUs(serverPid, serverPid);
  const threadsBefore = threadCpuUs(serverPid);
  const result = await run(seconds);
  const after = cpuUs(serverPid);
  const mainAfter = cpuUs(serverPid, serverPid);
  const threadsAfter = threadCpuUs(serverPid);
  const perRequest = (start: number | undefined, end: number | undefined) =>
    start === undefined || end === undefined || result.requests.total === 0
      ? undefined
      : Math.round((end - start) / result.requests.total);
  const cpuUsPerRequest = perRequest(before, after);
  const mainCpuUsPerRequest = perRequest(mainBefore, mainAfter);
  return {
    rps: Math.round(result.requests.total / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors + result.timeouts,
    ...(cpuUsPerRequest === undefined ? {} : { cpuUsPerRequest }),
    ...(mainCpuUsPerRequest === undefined ? {} : { mainCpuUsPerRequest }),
    ...(threadsAfter.size === 0 || result.requests.total === 0
      ? {}
      : {
          threadCpuUsPerRequest: Object.fromEntries(
            [...threadsAfter].map(([name, used]) => [
              name,
              Math.round((used - (threadsBefore.get(name) ?? 0)) / result.requests.total),
            ]),
          ),
        }),
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

/** The round with the median requests/s (the upper one of an even count), with every round's. */
const median = (rounds: readonly Load[]): Load => {
  const sorted = [...rounds].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor(sorted.length / 2)] as Load;
  return rounds.length === 1 ? middle : { ...middle, roundsRps: rounds.map((round) => round.rps) };
};

const fixture = await trialFixture();
const prefix = `bench-${randomUUID()}`;
const redis = new Redis(TEST_REDIS_URL);
const store = createJobStore({ redis, prefix });
const children: ChildProcess[] = [];
try {
  const models = (await buildModels(fixture)).filter(
    (model) => MODELS === undefined || MODELS.includes(model.name),
  );
  const inProcess: Record<string, RuntimeThroughput> = {};
  for (const model of models) {
    inProcess[model.name] = await modelThroughput(fixture, model, 0.5, 3, Number(ONNX_THREADS));
  }

  for (const model of models) {
    await store.models.create('default', { name: model.name });
    for (const [version, maxBatchSize, framework] of [
      ['batched', BATCH, 'TENSORFLOW_JS'],
      ['batched_onnx', BATCH, 'ONNX'],
      ['single', 1, 'TENSORFLOW_JS'],
    ] as const) {
      if (!VERSIONS.includes(version)) continue;
      await store.versions.create('default', model.name, {
        name: version,
        deploymentUri: model.uri,
        framework,
        batching: { maxBatchSize, maxLatencyMs: 0 },
      });
    }
  }
  const port = await freePort();
  // BENCH_DIST=1: the built predictor (npm run build first), as deployed, rather than its source.
  const predictorEnv = {
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_HOME: fixture.root,
    STRATUS_PORT: String(port),
    STRATUS_ADMIN_TOKEN: TOKEN,
    STRATUS_TFJS_BACKEND: 'wasm',
    STRATUS_PREDICTOR_THREADS: String(THREADS),
    // TENSORFLOW_JS versions on tfjs, so each runtime is measured: batched_onnx is framework ONNX.
    STRATUS_PREDICT_RUNTIME: 'tfjs',
    STRATUS_PREDICT_ONNX_THREADS: ONNX_THREADS,
    LOG_LEVEL: 'warn',
    ...(process.env.BENCH_NODE_OPTIONS === undefined
      ? {}
      : { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }),
  };
  const predictor = tsx(
    process.env.BENCH_DIST === '1'
      ? 'services/predictor/dist/main.js'
      : 'services/predictor/src/main.ts',
    predictorEnv,
    PROFILE === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`],
  );
  children.push(predictor);
  // BENCH_BASELINE=dir: a second predictor, the build in another checkout (`npm ci && npm run
  // build` there), measured in the same rounds: an A/B under the same machine load.
  const servers = [{ prefix: '', port, pid: predictor.pid }];
  if (BASELINE !== undefined) {
    const baselinePort = await freePort();
    const baseline = tsx(`${BASELINE}/services/predictor/dist/main.js`, {
      ...predictorEnv,
      STRATUS_PORT: String(baselinePort),
    });
    children.push(baseline);
    servers.push({ prefix: 'baseline_', port: baselinePort, pid: baseline.pid });
  }
  const bare = tsx('bench/bare-fastify.ts', {});
  children.push(bare);
  const bareUrl = (JSON.parse(await firstLine(bare)) as { url: string }).url;
  const ceilingUrl = `${bareUrl}/ceiling`;
  // A model body's ceiling parses it as the predictor does (packed numeric instances).
  const bodyCeilingUrl = `${bareUrl}/ceiling-packed`;
  for (const model of models) {
    for (const version of VERSIONS) {
      for (;;) {
        const state = (await store.versions.find('default', model.name, version))?.state;
        if (state === 'READY') break;
        if (state === 'FAILED') throw new Error(`${model.name}/${version} FAILED`);
        await sleep(100);
      }
    }
  }

  // JIT and first-touch warm-up of every route the runs below measure (results discarded).
  for (const model of models) {
    const body = JSON.stringify({ instances: [model.instance] });
    for (const server of servers) {
      for (const version of VERSIONS) {
        if (server.prefix !== '' && version.endsWith('_onnx')) continue;
        await load(
          `http://127.0.0.1:${server.port}/v1/projects/default/models/${model.name}/versions/${version}:predict`,
          64,
          body,
          2,
        );
      }
    }
  }
  const tiny = JSON.stringify({ instances: [[0]] });
  const ceiling: Record<string, Load> = {};
  for (const connections of CONNECTIONS) {
    const rounds: Load[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      rounds.push(await load(ceilingUrl, connections, tiny, SECONDS, bare.pid));
    }
    ceiling[`c${connections}`] = median(rounds);
  }
  const results: Record<string, unknown> = {};
  for (const model of models) {
    const body = JSON.stringify({ instances: [model.instance] });
    const runs: Record<string, Load> = {};
    for (const connections of CONNECTIONS) {
      // The ceiling for this body and each version in turn, ROUNDS times: each figure is the
      // median round, so a burst of other load on the machine sways one round, not the ratio.
      const rounds = new Map<string, Load[]>();
      const add = (name: string, result: Load): void => {
        rounds.set(name, [...(rounds.get(name) ?? []), result]);
      };
      for (let round = 0; round < ROUNDS; round += 1) {
        add('ceiling', await load(bodyCeilingUrl, connections, body, SECONDS, bare.pid));
        for (const version of VERSIONS) {
          for (const server of servers) {
            // A baseline checkout may predate ONNX versions.
            if (server.prefix !== '' && version.endsWith('_onnx')) continue;
            const key = `default/${model.name}/${version}`;
            const before = await batchTotals(server.port, key);
            const result = await load(
              `http://127.0.0.1:${server.port}/v1/projects/default/models/${model.name}/versions/${version}:predict`,
              connections,
              body,
              SECONDS,
              server.pid,
            );
            const after = await batchTotals(server.port, key);
            const calls = after.calls - before.calls;
            // Mean rows per model call over the run (its warm-up second included).
            const meanBatchRows =
              calls === 0 ? 0 : Number(((after.rows - before.rows) / calls).toFixed(1));
            add(`${server.prefix}${version}`, { ...result, meanBatchRows });
          }
        }
      }
      for (const [name, results] of rounds) runs[`${name}_c${connections}`] = median(results);
    }
    const batched = runs.batched_c64?.rps ?? 0;
    const onnxBatched = runs.batched_onnx_c64?.rps;
    const bodyCeiling = runs.ceiling_c64?.rps ?? 0;
    const limit = Math.min(bodyCeiling, inProcess[model.name]?.tfjs.best ?? 0);
    const onnxBest = inProcess[model.name]?.onnx?.best;
    const onnxLimit = onnxBest === undefined ? undefined : Math.min(bodyCeiling, onnxBest);
    results[model.name] = {
      runs,
      inProcess: inProcess[model.name],
      limit,
      ...(onnxBatched === undefined
        ? {}
        : {
            onnxBatchedOverBodyCeiling: ratio(onnxBatched, bodyCeiling),
            onnxBatchedOverTfjsBatched: ratio(onnxBatched, batched),
            ...(onnxLimit === undefined
              ? {}
              : { onnxLimit, onnxBatchedOverLimit: ratio(onnxBatched, onnxLimit) }),
          }),
      batchedOverUnbatched: ratio(batched, runs.single_c64?.rps ?? 1),
      batchedOverLimit: ratio(batched, limit),
      ...(runs.baseline_batched_c64 === undefined
        ? {}
        : { baselineBatchedOverLimit: ratio(runs.baseline_batched_c64.rps, limit) }),
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
      onnxThreads: Number(ONNX_THREADS),
      predictorThreads: threadCount(THREADS === 'auto' ? 'auto' : Number(THREADS)),
      maxBatchSize: BATCH,
      seconds: SECONDS,
      rounds: ROUNDS,
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
