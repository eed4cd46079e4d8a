/**
 * Load: LOAD_JOBS (default 1,000) Iris jobs submitted through the API while no
 * worker runs, then two worker processes drain the queue. Every job must end
 * SUCCEEDED with exactly one SUCCEEDED trial, and BullMQ's wait, active, delayed,
 * prioritized and failed lists must be empty afterwards: nothing stuck, nothing lost.
 * Trials that needed a second attempt and the workers' warnings are printed with the
 * submit and drain figures; no time is asserted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { loadConfig } from '@stratus/config';
import type { Job } from '@stratus/spec';
import {
  closeTrialQueues,
  createJobStore,
  createTrialQueues,
  type JobStore,
  type TrialQueues,
} from '@stratus/store';
import {
  apiCall,
  irisTraining,
  openE2eEnv,
  spawnWorker,
  type E2eEnv,
  type WorkerProcess,
} from '../support/stratus-e2e.js';

const JOBS = Number(process.env.LOAD_JOBS ?? 1000);
const WORKERS = 2;
/** The drain fails if no job ends for this long (a stuck queue), not on total time. */
const STALL_MS = 90_000;
const project = 'default';

let env: E2eEnv;
let api: ApiServer;
let store: JobStore;
let queues: TrialQueues;
const workers: WorkerProcess[] = [];
/** The workers' warning and error log lines. */
const warnings: string[] = [];

beforeAll(async () => {
  // Every job is queued at once, past the default live-jobs quota (100 per project) by design.
  env = await openE2eEnv({
    STRATUS_WORKER_CONCURRENCY: '1',
    STRATUS_MAX_QUEUED_JOBS_PER_PROJECT: String(JOBS),
  });
  // 1,000 submissions from one token would hit the default write budget (600/min) by design.
  api = await startApiServer(loadConfig(env.env), {
    logger: createApiLogger({ level: 'silent' }),
    options: { writeRateLimit: 1_000_000 },
  });
  store = createJobStore({ redis: env.redis, prefix: env.prefix });
  queues = createTrialQueues(env.redis.duplicate(), env.prefix);
});

afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((worker) => worker.exited));
  await api?.close();
  if (queues !== undefined) {
    const connection = queues.cpu.opts.connection as { quit?: () => Promise<unknown> };
    await closeTrialQueues(queues);
    await connection.quit?.();
  }
  await env?.close();
});

/** Run `count` tasks, `concurrency` at a time. */
const pool = async (
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
};

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

/** User + system CPU seconds of a process, its reaped children and its live children (Linux /proc). */
const treeCpuSeconds = (pid: number): number => {
  const fields = (id: string): string[] | undefined => {
    try {
      const stat = readFileSync(`/proc/${id}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    } catch {
      return undefined;
    }
  };
  const ticks = (f: string[], from: number, to: number): number =>
    f.slice(from, to + 1).reduce((sum, value) => sum + Number(value), 0);
  const own = fields(String(pid));
  if (own === undefined) return 0;
  let total = ticks(own, 11, 14); // utime, stime, cutime, cstime
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const child = fields(entry);
    if (child?.[1] === String(pid)) total += ticks(child, 11, 12);
  }
  return total / 100;
};

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** States of all jobs, read straight from the store. */
const jobStates = async (ids: readonly string[]): Promise<Map<string, Job>> => {
  const jobs = new Map<string, Job>();
  await pool(ids.length, 32, async (i) => {
    const id = ids[i]!;
    jobs.set(id, await store.jobs.get(project, id));
  });
  return jobs;
};

describe(`load: ${JOBS} queued jobs, ${WORKERS} workers`, () => {
  it('drains every job to SUCCEEDED with exactly one trial each and empty queues', async () => {
    const ids = Array.from({ length: JOBS }, (_, i) => `load_${String(i).padStart(4, '0')}`);
    // submitMs, workersUpMs and drainMs are reported, not asserted: a load test's figures.
    const submitStart = performance.now();
    await pool(JOBS, 16, async (i) => {
      const jobId = ids[i]!;
      const { status, body } = await apiCall(
        api.url,
        env.adminToken,
        'POST',
        `/v1/projects/${project}/jobs`,
        { jobId, trainingInput: irisTraining(jobId, { epochs: 1, hiddenUnits: [4] }) },
      );
      expect(status, JSON.stringify(body)).toBe(200);
    });
    const submitMs = performance.now() - submitStart;
    const queued = await queues.cpu.getJobCounts('wait', 'prioritized');
    expect((queued.wait ?? 0) + (queued.prioritized ?? 0)).toBe(JOBS);

    const drainStart = performance.now();
    const started = await Promise.all(Array.from({ length: WORKERS }, () => spawnWorker(env.env)));
    workers.push(...started);
    for (const worker of started) {
      createInterface({ input: worker.child.stdout! }).on('line', (line) => {
        if (/"level":(4|5|6)0/.test(line)) warnings.push(line);
      });
    }
    const workersUpMs = performance.now() - drainStart;
    let lastLeft = JOBS;
    let lastProgress = Date.now();
    let lastReport = Date.now();
    for (;;) {
      const counts = await queues.cpu.getJobCounts(
        'wait',
        'active',
        'delayed',
        'prioritized',
        'completed',
        'failed',
      );
      const left =
        (counts.wait ?? 0) +
        (counts.active ?? 0) +
        (counts.delayed ?? 0) +
        (counts.prioritized ?? 0);
      if (left === 0) break;
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        const seconds = ((performance.now() - drainStart) / 1000).toFixed(0);
        process.stdout.write(`queue-drain: ${left} trials left after ${seconds} s\n`);
      }
      if (left < lastLeft) {
        lastLeft = left;
        lastProgress = Date.now();
      }
      // A stall guard (no trial finished for STALL_MS), not a throughput threshold.
      if (Date.now() - lastProgress > STALL_MS) {
        throw new Error(`queue stalled with ${left} trials left: ${JSON.stringify(counts)}`);
      }
      for (const worker of workers) {
        expect(worker.child.exitCode, `worker ${worker.workerId} exited`).toBeNull();
      }
      await sleep(500);
    }
    // The queue is empty; the job records follow within a moment (the trial's last write).
    let jobs = await jobStates(ids);
    for (
      let tries = 0;
      tries < 40 && [...jobs.values()].some((j) => !TERMINAL.has(j.state));
      tries += 1
    ) {
      await sleep(250);
      jobs = await jobStates(ids);
    }
    const drainMs = performance.now() - drainStart;
    const workerCpuSeconds = workers.reduce((sum, worker) => sum + treeCpuSeconds(worker.pid), 0);

    const states = new Map<string, number>();
    for (const job of jobs.values()) states.set(job.state, (states.get(job.state) ?? 0) + 1);
    expect(Object.fromEntries(states)).toEqual({ SUCCEEDED: JOBS });

    const trialCounts = new Map<number, number>();
    const reclaimed: string[] = [];
    const trialMs: number[] = [];
    const trialProcesses = new Set<string>();
    await pool(ids.length, 32, async (i) => {
      const trials = await store.trials.list(project, ids[i]!);
      trialCounts.set(trials.length, (trialCounts.get(trials.length) ?? 0) + 1);
      expect(trials.map((trial) => trial.state)).toEqual(['SUCCEEDED']);
      expect(trials[0]?.finalMetric?.objectiveValue).toEqual(expect.any(Number));
      // "Trial 1 attempt 1 on worker …, trial process <pid>": how many processes ran trials.
      const { entries } = await store.streams.readLogs(project, ids[i]!, { count: 20 });
      for (const entry of entries) {
        const pid = /trial process (\d+)/.exec(entry.message)?.[1];
        if (pid !== undefined) trialProcesses.add(pid);
      }
      if ((trials[0]?.attempts ?? 0) > 1) reclaimed.push(`${ids[i]!} (${trials[0]!.attempts})`);
      const { startTime, endTime } = trials[0] ?? {};
      if (startTime !== undefined && endTime !== undefined) {
        trialMs.push(Date.parse(endTime) - Date.parse(startTime));
      }
    });
    expect(Object.fromEntries(trialCounts)).toEqual({ 1: JOBS });

    const after = await queues.cpu.getJobCounts(
      'wait',
      'active',
      'delayed',
      'prioritized',
      'failed',
    );
    expect(after).toEqual({ wait: 0, active: 0, delayed: 0, prioritized: 0, failed: 0 });
    for (const worker of workers) expect(worker.child.exitCode).toBeNull();

    const figures = {
      jobs: JOBS,
      workers: WORKERS,
      submitSeconds: Number((submitMs / 1000).toFixed(1)),
      submitPerSecond: Math.round(JOBS / (submitMs / 1000)),
      drainSeconds: Number((drainMs / 1000).toFixed(1)),
      trialsPerSecond: Number((JOBS / (drainMs / 1000)).toFixed(1)),
      workerStartSeconds: Number((workersUpMs / 1000).toFixed(1)),
      trialMsP50: percentile(trialMs, 50),
      trialMsP90: percentile(trialMs, 90),
      workerCpuSeconds: Number(workerCpuSeconds.toFixed(1)),
      workerCpuMsPerTrial: Math.round((workerCpuSeconds * 1000) / JOBS),
      trialProcessesUsed: trialProcesses.size,
      reclaimedTrials: reclaimed,
      workerWarnings: warnings.length,
      loadAverage: loadavg().map((value) => Number(value.toFixed(1))),
    };
    for (const line of warnings.slice(0, 10)) process.stdout.write(`worker warning: ${line}\n`);
    process.stdout.write(`LOAD queue-drain ${JSON.stringify(figures)}\n`);
  }, 900_000);
});
