// bench/queue: the job service's submission path and start latency, against raw BullMQ.
//   npm run bench:queue   (node --import tsx --conditions=stratus-src bench/queue.ts)
// Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); uses a fresh key prefix and
// removes its keys at the end. Prints one JSON line:
// - apiSubmissionsPerSecond: POST /v1/projects/default/jobs over HTTP (keep-alive) from
//   BENCH_CLIENTS concurrent clients, no worker running (jobs only queue);
// - bullmqAddPerSecond: raw `queue.add` of the same payload, one at a time and concurrently;
// - postToTrainerMs: POST → the built-in trainer's first line of code, p50/p99 over
//   BENCH_SAMPLES jobs, each submitted to an idle worker (warm trial processes) after the last ended.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createApiLogger, startApiServer } from '@stratus/api';
import { loadConfig } from '@stratus/config';
import type { JobInput } from '@stratus/spec';
import { createLocalStorage } from '@stratus/storage';
import { bullmqPrefix, createJobStore, purgePrefix } from '@stratus/store';
import { startWorker } from '@stratus/worker';
import { irisTraining, writeIris } from '../tests/support/stratus-e2e.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const API_JOBS = Number(process.env.BENCH_JOBS ?? 3000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const BULL_JOBS = Number(process.env.BENCH_BULL_JOBS ?? 3000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);

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
const config = loadConfig({
  REDIS_URL,
  STRATUS_HOME: home,
  STRATUS_REDIS_PREFIX: prefix,
  STRATUS_ADMIN_TOKEN: token,
  STRATUS_PORT: '0',
  STRATUS_TFJS_BACKEND: process.env.STRATUS_TFJS_BACKEND ?? 'wasm',
  STRATUS_WORKER_CONCURRENCY: '1',
  LOG_LEVEL: 'silent',
});
const storage = createLocalStorage({ root: config.bucketsRoot });
await writeIris(storage);
const redis = new Redis(REDIS_URL);
const store = createJobStore({ redis, prefix });
const api = await startApiServer(config, {
  logger: createApiLogger({ level: 'silent' }),
  options: { writeRateLimit: 10_000_000 },
});
const post = async (input: JobInput): Promise<void> => {
  const response = await fetch(`${api.url}/v1/projects/default/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  if (response.status !== 200)
    throw new Error(`POST → ${response.status}: ${await response.text()}`);
  await response.arrayBuffer();
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
        const job = await store.getJob('default', jobId);
        if (job.state === 'SUCCEEDED' || job.state === 'FAILED') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const { entries } = await store.readLogs('default', jobId);
      const first = entries.find((entry) => entry.message.startsWith('Trial 1: dnn_classifier'));
      const job = await store.getJob('default', jobId);
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
  await throughput(50, 8, (i) => post(jobInput(`warmup_${i}`)));
  const apiPerSecond = await throughput(API_JOBS, CLIENTS, (i) => post(jobInput(`sub_${i}`)));

  // 3. Raw BullMQ on the same Redis, the same payload as a trial job.
  const raw = new Queue(`raw-${randomUUID()}`, { connection: redis, prefix: bullmqPrefix(prefix) });
  const data = { project: 'default', jobId: 'sub_1', trialId: '1' };
  const addSequential = await throughput(BULL_JOBS, 1, async (i) => {
    await raw.add('trial', data, { jobId: `seq/${i}`, attempts: 3 });
  });
  const addConcurrent = await throughput(BULL_JOBS, CLIENTS, async (i) => {
    await raw.add('trial', data, { jobId: `con/${i}`, attempts: 3 });
  });
  await raw.obliterate({ force: true });
  await raw.close();

  process.stdout.write(
    `${JSON.stringify({
      bench: 'queue',
      apiJobs: API_JOBS,
      apiClients: CLIENTS,
      apiSubmissionsPerSecond: Math.round(apiPerSecond),
      bullmqAddPerSecond: {
        sequential: Math.round(addSequential),
        concurrent: Math.round(addConcurrent),
      },
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
  await api.close();
  await purgePrefix(redis, prefix);
  await redis.quit();
  await storage.close();
  await rm(home, { recursive: true, force: true });
}
