// bench/queue: the job service's submission path and start latency, against raw BullMQ.
//   npm run bench:queue   (node --import tsx --conditions=stratus-src bench/queue.ts)
// Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); uses a fresh key prefix and
// removes its keys at the end. The API server is a child process (bench/queue-api-server.ts:
// `startApiServer` as `stratus-api` runs it, LOG_LEVEL=info with its logs going to a file, the
// per-token write rate limit raised to BENCH_WRITE_RATE_LIMIT/min and the live-job quota per
// project to 1,000,000, so neither caps the bench);
// the load comes from this process. Prints one JSON line:
// - api: POST /v1/projects/default/jobs (a plain Iris job, unique ids) from autocannon with
//   BENCH_CONNECTIONS keep-alive connections, BENCH_ROUNDS rounds of BENCH_SECONDS after a
//   BENCH_WARMUP_SECONDS warm-up (the server's JIT), no worker running (the jobs only queue):
//   jobs/s (all rounds, and each), latency, and the CPU µs per job of the server, of autocannon
//   (this process) and of Redis; every accepted job is checked to be stored QUEUED with its
//   trial waiting in BullMQ;
// - baseline (with BENCH_BASELINE=<another checkout>): the same, against that checkout's API
//   server, rounds alternating with this one's so both see the same machine load;
// - bullmqAddPerSecond: raw `queue.add` of a trial's payload on the same Redis, from this
//   process, one at a time and BENCH_CONNECTIONS at once;
// - postToTrainerMs: POST → the built-in trainer's first line of code, p50/p99 over
//   BENCH_SAMPLES jobs, each submitted to an idle worker (warm trial processes) after the last ended.
// BENCH_CPU_PROF=<dir> runs the API server(s) under `node --cpu-prof`, profiles written there.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { openSync, closeSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { loadConfig } from '@stratus/config';
import type { JobInput } from '@stratus/spec';
import { createLocalStorage } from '@stratus/storage';
import { bullmqPrefix, createJobStore, purgePrefix, queueWaitListKey } from '@stratus/store';
import { startWorker } from '@stratus/worker';
import { irisTraining, writeIris } from '../tests/support/stratus-e2e.js';
import { TEST_REDIS_URL } from '../tests/support/redis-url.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const BASELINE = process.env.BENCH_BASELINE;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BULL_JOBS = Number(process.env.BENCH_BULL_JOBS ?? 5000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);
const WRITE_RATE_LIMIT = Number(process.env.BENCH_WRITE_RATE_LIMIT ?? 10_000_000);
const CPU_PROF = process.env.BENCH_CPU_PROF;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_SCRIPT = 'bench/queue-api-server.ts';

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));

/** Run `count` tasks with `concurrency` in flight; returns tasks per second. */
const throughput = async (
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<number> => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
};

const jobInput = (jobId: string): JobInput => ({
  jobId,
  trainingInput: irisTraining(jobId, { epochs: 1, hiddenUnits: [8] }),
});

const home = await mkdtemp(join(tmpdir(), 'stratus-bench-queue-'));
const prefix = `bench-${randomUUID()}`;
const token = `stratus_bench_${randomUUID()}`;
const env: Record<string, string> = {
  REDIS_URL: TEST_REDIS_URL,
  STRATUS_HOME: home,
  STRATUS_REDIS_PREFIX: prefix,
  STRATUS_ADMIN_TOKEN: token,
  STRATUS_PORT: '0',
  STRATUS_TFJS_BACKEND: process.env.STRATUS_TFJS_BACKEND ?? 'wasm',
  STRATUS_WORKER_CONCURRENCY: '1',
  // Every job the load submits stays QUEUED (no worker runs then): the default quota of 100 live
  // jobs per project would answer 429 from the 101st on.
  STRATUS_MAX_QUEUED_JOBS_PER_PROJECT: '1000000',
  LOG_LEVEL: 'info',
};
const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
const storage = createLocalStorage({ root: config.bucketsRoot });
await writeIris(storage);
const redis = new Redis(TEST_REDIS_URL);
const store = createJobStore({ redis, prefix });

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  readonly log: string;
}

/** Start the API server child of the checkout at `root`; resolves once it listens. */
const startServer = async (root: string, name: string): Promise<Server> => {
  const log = join(home, `${name}.log`);
  const out = openSync(log, 'a');
  const execArgv = ['--import', 'tsx', '--conditions=stratus-src'];
  if (CPU_PROF !== undefined) execArgv.push('--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF)}`);
  const child = fork(join(root, SERVER_SCRIPT), [], {
    cwd: root,
    execArgv,
    env: { PATH: process.env.PATH ?? '', ...env, BENCH_WRITE_RATE_LIMIT: String(WRITE_RATE_LIMIT) },
    stdio: ['ignore', out, 'inherit', 'ipc'],
  });
  closeSync(out);
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.once('message', (message) => resolveUrl((message as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`API server exited with ${String(code)}`)));
  });
  return { child, url, log };
};

/** CPU seconds (user + system) a process has used, from /proc (Linux); NaN elsewhere. */
const cpuSeconds = async (pid: number | undefined): Promise<number> => {
  try {
    const stat = await readFile(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return NaN;
  }
};

/** Redis's own CPU seconds so far (INFO cpu). */
const redisCpuSeconds = async (): Promise<number> => {
  const info = await redis.info('cpu');
  const field = (name: string): number => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1]);
  return field('used_cpu_user') + field('used_cpu_sys');
};

const stopServer = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolveExit) => {
    if (child.exitCode !== null) return resolveExit(child.exitCode);
    child.once('exit', (code) => resolveExit(code));
    child.kill('SIGTERM');
  });

const servers: Server[] = [];
const server = await startServer(ROOT, 'api');
servers.push(server);
const post = async (input: JobInput): Promise<void> => {
  const response = await fetch(`${server.url}/v1/projects/default/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  if (response.status !== 200)
    throw new Error(`POST → ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
};

/** autocannon POSTs of new jobs `${idPrefix}${n}`; returns the 2xx count and latencies. */
const submitLoad = async (target: Server, idPrefix: string, seconds: number) => {
  let n = 0;
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/v1/projects/default/jobs',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify(jobInput(`${idPrefix}${n++}`)),
        }),
      },
    ],
  });
  // Every submission must be accepted: a refused one (a quota, a rate limit) would make the
  // figures those of the refusal path.
  if (result.non2xx + result.errors + result.timeouts > 0) {
    throw new Error(
      `${idPrefix}: ${result['2xx']} jobs accepted, ${result.non2xx} answered otherwise ` +
        `(status codes ${JSON.stringify(result.statusCodeStats)}), ` +
        `${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    ok: result['2xx'],
    errors: result.non2xx + result.errors + result.timeouts,
    perSecond: result['2xx'] / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
};

interface Round {
  readonly ok: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpu: { readonly server: number; readonly client: number; readonly redis: number };
}

/** One round of load on `target`, with the CPU seconds each party spent on it. */
const measuredLoad = async (target: Server, idPrefix: string): Promise<Round> => {
  const before = {
    server: await cpuSeconds(target.child.pid),
    client: process.cpuUsage(),
    redis: await redisCpuSeconds(),
  };
  const result = await submitLoad(target, idPrefix, SECONDS);
  const client = process.cpuUsage(before.client);
  return {
    ...result,
    cpu: {
      server: (await cpuSeconds(target.child.pid)) - before.server,
      client: (client.user + client.system) / 1e6,
      redis: (await redisCpuSeconds()) - before.redis,
    },
  };
};

const summarize = (rounds: readonly Round[]) => {
  const ok = rounds.reduce((sum, r) => sum + r.ok, 0);
  const perJob = (pick: (r: Round) => number): number =>
    Math.round((rounds.reduce((sum, r) => sum + pick(r), 0) * 1e6) / ok);
  const last = rounds[rounds.length - 1];
  return {
    perSecond: Math.round(ok / (rounds.length * SECONDS)),
    rounds: rounds.map((r) => Math.round(r.perSecond)),
    accepted: ok,
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    latencyMs: { p50: last?.p50, p99: last?.p99 },
    cpuUsPerJob: {
      server: perJob((r) => r.cpu.server),
      client: perJob((r) => r.cpu.client),
      redis: perJob((r) => r.cpu.redis),
    },
  };
};

try {
  // 1. POST → trainer running, one job at a time on an idle worker.
  const worker = await startWorker(config, { warmProcesses: 1, reconcileIntervalMs: 0 });
  const latencies: number[] = [];
  const runningMs: number[] = [];
  try {
    for (let i = 0; i < SAMPLES + 3; i += 1) {
      const jobId = `lat_${i}`;
      const submitted = Date.now();
      await post(jobInput(jobId));
      for (;;) {
        const job = await store.jobs.get('default', jobId);
        if (job.state === 'SUCCEEDED' || job.state === 'FAILED') break;
        await new Promise((wait) => setTimeout(wait, 5));
      }
      const { entries } = await store.streams.readLogs('default', jobId);
      const first = entries.find((entry) => entry.message.startsWith('Trial 1: dnn_classifier'));
      const job = await store.jobs.get('default', jobId);
      if (first === undefined || job.startTime === undefined)
        throw new Error(`${jobId}: no trainer log`);
      if (i < 3) continue; // warm-up: first trials compile the wasm kernels
      latencies.push(Date.parse(first.time) - submitted);
      runningMs.push(Date.parse(job.startTime) - submitted);
    }
  } finally {
    await worker.close();
  }
  const backend = worker.backend.name;

  // 2. API submissions with the worker gone: the jobs just wait in the queue.
  const load = loadavg()[0] ?? 0;
  const targets = [{ name: 'api', server }];
  if (BASELINE !== undefined) {
    const baseline = await startServer(resolve(BASELINE), 'baseline');
    servers.push(baseline);
    targets.push({ name: 'baseline', server: baseline });
  }
  const rounds = new Map<string, Round[]>(targets.map(({ name }) => [name, []]));
  let accepted = 0;
  for (const { name, server: target } of targets) {
    accepted += (await submitLoad(target, `warm_${name}_`, WARMUP_SECONDS)).ok;
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const { name, server: target } of round % 2 === 0 ? targets : [...targets].reverse()) {
      const result = await measuredLoad(target, `sub_${name}_${round}_`);
      accepted += result.ok;
      rounds.get(name)?.push(result);
    }
  }
  // Every accepted POST is a stored QUEUED job whose trial waits in BullMQ.
  let queued = -1;
  let waiting = -2;
  for (let tries = 0; tries < 100 && queued !== waiting; tries += 1) {
    await new Promise((wait) => setTimeout(wait, 50)); // requests in flight at the deadline
    queued = (await store.jobs.countByState('default')).QUEUED;
    waiting = await redis.llen(queueWaitListKey(prefix, 'cpu'));
  }
  // (autocannon stops counting at the deadline; the requests then in flight complete too)
  const inFlight = 2 * CONNECTIONS * (targets.length + ROUNDS * targets.length);
  if (queued !== waiting || queued < accepted || queued > accepted + inFlight) {
    throw new Error(
      `${accepted} jobs accepted, ${queued} stored QUEUED, ${waiting} trials waiting`,
    );
  }
  const summaries = Object.fromEntries(
    await Promise.all(
      targets.map(async ({ name, server: target }) => [
        name,
        {
          ...summarize(rounds.get(name) ?? []),
          logLines: (await readFile(target.log, 'utf8')).split('\n').length - 1,
        },
      ]),
    ),
  ) as Record<string, ReturnType<typeof summarize> & { logLines: number }>;
  const api = summaries.api;
  if (api === undefined) throw new Error('no API figures');

  // 3. Raw BullMQ on the same Redis, the same payload as a trial job.
  const raw = new Queue(`raw-${randomUUID()}`, { connection: redis, prefix: bullmqPrefix(prefix) });
  const data = { project: 'default', jobId: 'sub_1', trialId: '1' };
  const addSequential = await throughput(BULL_JOBS, 1, async (i) => {
    await raw.add('trial', data, { jobId: `seq/${i}`, attempts: 3 });
  });
  const addConcurrent = await throughput(BULL_JOBS, CONNECTIONS, async (i) => {
    await raw.add('trial', data, { jobId: `con/${i}`, attempts: 3 });
  });
  await raw.obliterate({ force: true });
  await raw.close();

  process.stdout.write(
    `${JSON.stringify({
      bench: 'queue',
      loadAvg: round(load, 2),
      apiSeconds: SECONDS,
      apiRounds: ROUNDS,
      apiConnections: CONNECTIONS,
      apiSubmissionsPerSecond: api.perSecond,
      // Per server: jobs/s (over all rounds, and each round), latency of the last round,
      // and CPU µs per accepted job during the rounds: the API server, autocannon (this process)
      // and Redis (which other clients of the same Redis add to).
      api,
      ...(summaries.baseline === undefined ? {} : { baseline: summaries.baseline }),
      writeRateLimitPerMinute: WRITE_RATE_LIMIT,
      bullmqAddPerSecond: {
        sequential: Math.round(addSequential),
        concurrent: Math.round(addConcurrent),
      },
      apiPerBullmqConcurrent: round(api.perSecond / addConcurrent, 3),
      ...(summaries.baseline === undefined
        ? {}
        : { apiPerBaseline: round(api.perSecond / summaries.baseline.perSecond, 2) }),
      postToTrainerMs: {
        p50: round(percentile(latencies, 50)),
        p99: round(percentile(latencies, 99)),
        samples: latencies.length,
      },
      postToJobRunningMs: {
        p50: round(percentile(runningMs, 50)),
        p99: round(percentile(runningMs, 99)),
      },
      backend,
      node: process.version,
    })}\n`,
  );
} finally {
  for (const { child } of servers) {
    const code = await stopServer(child);
    if (code !== 0) process.stderr.write(`API server exited with ${String(code)}\n`);
  }
  await purgePrefix(redis, prefix);
  await redis.quit();
  await storage.close();
  await rm(home, { recursive: true, force: true });
}
