// bench/batch: batch prediction jobs (predictionInput) on 1 and 2 worker processes against the
// plain script a user would write instead (bench/batch-plain.ts), in the same run.
//   npm run bench:batch   (node --import tsx --conditions=stratus-src bench/batch.ts)
// Needs Redis at REDIS_URL (fresh key prefix, removed at the end) and ~1 GB of temp disk at the
// default sizes. Inputs, written once into a temp local bucket: BENCH_IRIS_ROWS (default
// 1,000,000) Iris-shaped rows and BENCH_MLP_ROWS (default 100,000: each row is 784 numbers) MNIST-
// shaped rows, each as JSON Lines and as CSV (header + key column). Models: a Stratus
// dnn_classifier bundle per shape (Iris 4-32-16-3; MNIST 784-256-128-10), trained briefly, each
// deployed as a READY version. The Stratus side is the API process and worker processes
// (STRATUS_WORKER_CONCURRENCY=1, STRATUS_TFJS_BACKEND=wasm) on 127.0.0.1; the plain side a child
// process running bench/batch-plain.ts on the same file, model, backend and batch size
// (BENCH_BATCH, default 64). BENCH_ROUNDS (default 3) rounds; in each, every input runs plain and
// on 1 worker (the order alternating between rounds), then a second worker starts, every input
// runs on 2 workers, and the second worker stops. rows/s: rows / (job endTime − startTime), and
// rows / (submit → SUCCEEDED seen by polling every 50 ms); the plain script's is rows / (first
// read → last write), its model load excluded. Figures are the medians of the rounds.
// STRATUS_BATCH_SHARD_BYTES: BENCH_SHARD_BYTES, default the smallest input's size / 8, so every
// job has 8+ shards. Where one shard's time goes: runShard in this process, with its timing
// hooks, on the second shard of each input (the first, untimed, warms the model and the JIT up).
// BENCH_ROUNDS=0 runs only that. BENCH_SERVICE_LOG=file keeps the API's and workers' log lines.
// Prints a table, then one JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { planPrediction, runShard, type ShardTimings } from '@stratus/batch';
import { selectBackend } from '@stratus/bundle';
import { openBatchModel } from '@stratus/serving';
import type { Job } from '@stratus/spec';
import { createJobStore, purgePrefix } from '@stratus/store';
import { trialFixture } from '@stratus/trainer/testing';
import { trainModels, writeInputs, type BatchInput, type BatchModelName } from './batch-inputs.js';
import { ROOT, apiCall, spawnWorker, type WorkerProcess } from '../tests/support/stratus-e2e.js';
import { TEST_REDIS_URL } from '../tests/support/redis-url.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const BATCH = Number(process.env.BENCH_BATCH ?? 64);
const ROWS: Record<BatchModelName, number> = {
  iris: Number(process.env.BENCH_IRIS_ROWS ?? 1_000_000),
  mlp: Number(process.env.BENCH_MLP_ROWS ?? 100_000),
};
/** Inputs to run, as `model.FORMAT` (e.g. `iris.JSON,mlp.CSV`), default all four. */
const ONLY = process.env.BENCH_INPUTS?.split(',');
const JOB_TIMEOUT_MS = 30 * 60_000;
const GOALS = { oneWorker: 0.8, twoWorkers: 1.5 };
/** A file the workers' and the API's log lines are appended to (they are read and dropped otherwise). */
const SERVICE_LOG = process.env.BENCH_SERVICE_LOG;

type Peer = 'plain' | 'worker1' | 'worker2';

interface RunFigure {
  /** rows / (endTime − startTime) for a job; rows / (first read → last write) for plain. */
  readonly rowsPerSecond: number;
  /** Jobs: rows / (submit → SUCCEEDED seen). */
  readonly submitRowsPerSecond?: number;
  readonly seconds: number;
  readonly shards?: number;
  /** Jobs: the shards' summed startTime → endTime, s (the rest of `seconds` is between shards). */
  readonly shardSeconds?: number;
  readonly phasesMs?: Record<string, number>;
  readonly featurizeShare?: number;
}

/** The middle value; of an even count, the upper of the two middle ones. */
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const ratio = (a: number, b: number): number => (b === 0 ? 0 : Number((a / b).toFixed(3)));
const name = (input: BatchInput): string => `${input.model}.${input.format}`;

const keepLog = (child: ChildProcess): void => {
  if (SERVICE_LOG === undefined) return;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    appendFileSync(SERVICE_LOG, `${line}\n`);
  });
};

/** Spawn a Stratus service entry point under tsx; resolves once `ready` matches a stdout line. */
const spawnService = (
  script: string,
  env: Record<string, string>,
  ready: (line: string) => string | undefined,
): Promise<{ child: ChildProcess; value: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=stratus-src', script], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${String(code)}`)));
    keepLog(child);
    // Read every line, so the child never blocks on a full pipe.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const value = ready(line);
      if (value !== undefined) resolve({ child, value });
    });
  });

const stopChild = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Run bench/batch-plain.ts on `input`; its one JSON line. */
const runPlain = (
  input: BatchInput,
  modelUri: string,
  bucketsRoot: string,
  out: string,
): Promise<RunFigure> =>
  new Promise((resolve, reject) => {
    const options = {
      file: input.path,
      format: input.format,
      bucketsRoot,
      modelUri,
      batchSize: BATCH,
      out,
    };
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=stratus-src',
        'bench/batch-plain.ts',
        JSON.stringify(options),
      ],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let last = '';
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) last = line;
    });
    child.once('exit', (code) => {
      if (code !== 0 || last === '') {
        reject(new Error(`bench/batch-plain exited with ${String(code)}`));
        return;
      }
      const result = JSON.parse(last) as RunFigure & { rows: number };
      if (result.rows !== input.rows) {
        reject(new Error(`plain scored ${result.rows} rows of ${name(input)}, not ${input.rows}`));
        return;
      }
      resolve(result);
    });
  });

const fixture = await trialFixture();
const prefix = `bench-${randomUUID()}`;
const adminToken = `stratus_${randomBytes(24).toString('base64url')}`;
const redis = new Redis(TEST_REDIS_URL);
const store = createJobStore({ redis, prefix });
const children: ChildProcess[] = [];
const workers: WorkerProcess[] = [];
try {
  const models = await trainModels(fixture);
  const inputs = (await writeInputs(fixture, ROWS)).filter(
    (input) => ONLY === undefined || ONLY.includes(name(input)),
  );
  const sizes = await Promise.all(inputs.map(async (input) => (await stat(input.path)).size));
  const shardBytes = Number(
    process.env.BENCH_SHARD_BYTES ?? Math.floor(Math.min(...sizes) / 8 / 1024) * 1024,
  );
  for (const model of ['iris', 'mlp'] as const) {
    await store.models.create('default', { name: model });
    await store.versions.create('default', model, {
      name: 'v1',
      deploymentUri: models[model],
      framework: 'TENSORFLOW_JS',
    });
    // What a predictor reports once it loaded the bundle: batch jobs need a READY version.
    await store.versions.finish('default', model, 'v1', { state: 'READY' });
  }

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    STRATUS_HOME: fixture.root,
    REDIS_URL: TEST_REDIS_URL,
    STRATUS_REDIS_PREFIX: prefix,
    STRATUS_ADMIN_TOKEN: adminToken,
    STRATUS_TFJS_BACKEND: 'wasm',
    STRATUS_PORT: '0',
    STRATUS_WORKER_CONCURRENCY: '1',
    STRATUS_BATCH_SHARD_BYTES: String(shardBytes),
    LOG_LEVEL: 'info',
  };
  const api = await spawnService('services/api/src/main.ts', env, (line) =>
    line.includes('"api listening"') ? (JSON.parse(line) as { url: string }).url : undefined,
  );
  children.push(api.child);
  const base = new URL(api.value).origin;
  workers.push(await spawnWorker(env));
  keepLog(workers[0]!.child);

  let jobCount = 0;
  /** Submit a batch prediction job over `input`, wait for SUCCEEDED, and delete its output. */
  const runJob = async (input: BatchInput): Promise<RunFigure> => {
    jobCount += 1;
    const jobId = `batch_${input.model}_${input.format.toLowerCase()}_${jobCount}`;
    const outputPath = `gs://bench/out/${jobId}/`;
    const submitted = performance.now();
    const reply = await apiCall<Job & { error?: { message: string } }>(
      base,
      adminToken,
      'POST',
      '/v1/projects/default/jobs',
      {
        jobId,
        predictionInput: {
          region: 'local',
          dataFormat: input.format,
          inputPaths: [input.uri],
          outputPath,
          versionName: `projects/default/models/${input.model}/versions/v1`,
          batchSize: String(BATCH),
        },
      },
    );
    if (reply.status !== 200) throw new Error(`submit ${jobId}: ${JSON.stringify(reply.body)}`);
    let job: Job;
    for (;;) {
      job = (await apiCall<Job>(base, adminToken, 'GET', `/v1/projects/default/jobs/${jobId}`))
        .body;
      if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.state)) break;
      if (performance.now() - submitted > JOB_TIMEOUT_MS) throw new Error(`${jobId} timed out`);
      await sleep(50);
    }
    const wall = (performance.now() - submitted) / 1000;
    const output = job.predictionOutput;
    if (job.state !== 'SUCCEEDED' || output?.predictionCount !== String(input.rows)) {
      throw new Error(
        `${jobId} ended ${job.state} (${job.errorMessage ?? ''}), ${JSON.stringify(output)}`,
      );
    }
    await rm(join(fixture.bucketsRoot, 'bench', 'out', jobId), { recursive: true, force: true });
    const seconds = (Date.parse(job.endTime ?? '') - Date.parse(job.startTime ?? '')) / 1000;
    const trials = await store.trials.list('default', jobId);
    const shardSeconds = trials.reduce(
      (sum, trial) =>
        sum + (Date.parse(trial.endTime ?? '') - Date.parse(trial.startTime ?? '')) / 1000,
      0,
    );
    return {
      shardSeconds: Number(shardSeconds.toFixed(3)),
      rowsPerSecond: Math.round(input.rows / seconds),
      submitRowsPerSecond: Math.round(input.rows / wall),
      seconds,
      shards: output.shardCount,
    };
  };

  const figures = new Map<string, RunFigure[]>();
  const add = (input: BatchInput, peer: Peer, figure: RunFigure): void => {
    const key = `${name(input)}/${peer}`;
    figures.set(key, [...(figures.get(key) ?? []), figure]);
    console.error(
      `bench/batch: ${key} ${figure.rowsPerSecond} rows/s (${figure.seconds} s` +
        (figure.shardSeconds === undefined
          ? ')'
          : `, ${figure.shards} shards busy ${figure.shardSeconds} s)`),
    );
  };
  const plainOut = join(fixture.root, 'plain-out.jsonl');
  const loads: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    loads.push(loadavg()[0] ?? 0);
    for (const input of inputs) {
      const plain = () => runPlain(input, models[input.model], fixture.bucketsRoot, plainOut);
      if (round % 2 === 0) {
        add(input, 'plain', await plain());
        add(input, 'worker1', await runJob(input));
      } else {
        add(input, 'worker1', await runJob(input));
        add(input, 'plain', await plain());
      }
    }
    const second = await spawnWorker(env);
    keepLog(second.child);
    workers.push(second);
    for (const input of inputs) add(input, 'worker2', await runJob(input));
    second.child.kill('SIGTERM');
    await second.exited;
  }
  loads.push(loadavg()[0] ?? 0);

  // Where one shard's time goes on the workers' code path: runShard + openBatchModel, in process.
  await selectBackend('wasm');
  const shardProfiles: Record<string, ShardTimings & { rows: number; totalMs: number }> = {};
  for (const input of inputs) {
    const plan = await planPrediction(
      fixture.storage,
      { dataFormat: input.format, inputPaths: [input.uri] },
      { shardBytes },
    );
    const model = await openBatchModel({
      storage: fixture.storage,
      uri: models[input.model],
      runtime: 'tfjs',
      maxModelParams: 100_000_000,
    });
    const timings: ShardTimings = { readMs: 0, parseMs: 0, predictMs: 0, writeMs: 0 };
    // Shard 1 warms the model and the JIT up, as a worker's earlier shards do; shard 2 is timed.
    const [warmUp, shard] = plan.shards;
    let started = 0;
    for (const [index, each] of [warmUp, shard].entries()) {
      if (each === undefined) continue;
      if (index === 1) started = performance.now();
      await runShard(
        fixture.storage,
        each,
        {
          dataFormat: input.format,
          outputPath: `gs://bench/profile/${name(input)}/`,
          batchSize: BATCH,
          ...(index === 1 ? { timings } : {}),
        },
        (instances) => model.predictRows(instances),
      );
    }
    const totalMs = performance.now() - started;
    model.close();
    if (shard === undefined) continue;
    shardProfiles[name(input)] = {
      rows: shard.rows,
      totalMs: Math.round(totalMs),
      readMs: Math.round(timings.readMs),
      parseMs: Math.round(timings.parseMs),
      predictMs: Math.round(timings.predictMs),
      writeMs: Math.round(timings.writeMs),
    };
  }

  const results: Record<string, unknown> = {};
  console.log(
    '| input | rows | shards | plain rows/s | 1 worker rows/s (submit→done) | ÷ plain | 2 workers rows/s (submit→done) | ÷ plain |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const input of inputs) {
    const of = (peer: Peer) => figures.get(`${name(input)}/${peer}`) ?? [];
    const plain = median(of('plain').map((f) => f.rowsPerSecond));
    const peer = (p: Peer) => ({
      rowsPerSecond: median(of(p).map((f) => f.rowsPerSecond)),
      submitRowsPerSecond: median(of(p).map((f) => f.submitRowsPerSecond ?? 0)),
      overPlain: ratio(median(of(p).map((f) => f.rowsPerSecond)), plain),
      submitOverPlain: ratio(median(of(p).map((f) => f.submitRowsPerSecond ?? 0)), plain),
      rounds: of(p).map((f) => f.rowsPerSecond),
    });
    const w1 = peer('worker1');
    const w2 = peer('worker2');
    const plainRuns = of('plain');
    // The phases of the plain run with the median rows/s.
    const plainPhases = [...plainRuns].sort((a, b) => a.rowsPerSecond - b.rowsPerSecond)[
      Math.floor(plainRuns.length / 2)
    ];
    results[name(input)] = {
      rows: input.rows,
      shards: of('worker1')[0]?.shards,
      plain: {
        rowsPerSecond: plain,
        rounds: plainRuns.map((f) => f.rowsPerSecond),
        phasesMs: plainPhases?.phasesMs,
        featurizeShareOfPredict: plainPhases?.featurizeShare,
      },
      worker1: w1,
      worker2: w2,
      shardProfile: shardProfiles[name(input)],
      goals: {
        oneWorker: w1.overPlain >= GOALS.oneWorker,
        twoWorkers: w2.overPlain >= GOALS.twoWorkers,
      },
    };
    console.log(
      `| ${name(input)} | ${input.rows} | ${String(of('worker1')[0]?.shards)} | ${plain} | ${w1.rowsPerSecond} (${w1.submitRowsPerSecond}) | ${w1.overPlain} (${w1.submitOverPlain}) ${w1.overPlain >= GOALS.oneWorker ? 'met' : 'NOT met'} ≥ ${GOALS.oneWorker} | ${w2.rowsPerSecond} (${w2.submitRowsPerSecond}) | ${w2.overPlain} (${w2.submitOverPlain}) ${w2.overPlain >= GOALS.twoWorkers ? 'met' : 'NOT met'} ≥ ${GOALS.twoWorkers} |`,
    );
  }
  console.log(
    '\nWhere the time goes (ms): plain = the median plain run; shard = runShard on shard 2 (warm)',
  );
  for (const input of inputs) {
    const result = results[name(input)] as {
      plain: { phasesMs?: Record<string, number>; featurizeShareOfPredict?: number };
      shardProfile?: Record<string, number>;
    };
    console.log(
      `${name(input)}: plain ${JSON.stringify(result.plain.phasesMs)} (featurize ≈ ${String(result.plain.featurizeShareOfPredict)} of predict); shard ${JSON.stringify(result.shardProfile)}`,
    );
  }
  console.log(
    JSON.stringify({
      bench: 'batch',
      date: new Date().toISOString().slice(0, 10),
      cpus: cpus().length,
      loadAverage: loads.map((load) => Number(load.toFixed(2))),
      node: process.version,
      backend: 'wasm',
      batchSize: BATCH,
      rounds: ROUNDS,
      shardBytes,
      goals: GOALS,
      inputs: results,
    }),
  );
} finally {
  for (const worker of workers) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((worker) => worker.exited));
  await Promise.all(children.map(stopChild));
  await purgePrefix(redis, prefix);
  await redis.quit();
  await fixture.cleanup();
}
