/**
 * Fault: runaway custom trainers on one worker (two trials at a time): one
 * allocates without bound, one ignores SIGTERM and never exits, one writes
 * 1 GiB to stdout. Each is stopped or contained with a clear reason, and the
 * same worker process runs a built-in Iris job to success alongside them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { trainerTarball } from './support/trainer-tarball.js';
import { apiCall, irisTraining, waitForJob } from '../support/stratus-e2e.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { allLogs } from './support/job-streams.js';

const jobs = '/v1/projects/default/jobs';
const HEAP_MB = 96;
const MiB = 1024 * 1024;

const TRAINERS = {
  // Keeps every array it makes: V8 hits STRATUS_TRAINER_HEAP_MB.
  hog: `const hoard = [];
for (;;) hoard.push(new Array(100_000).fill(hoard.length));
`,
  // Ignores SIGTERM and would run forever.
  sleeper: `process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
console.log('sleeping forever');
setInterval(() => undefined, 1_000);
`,
  // 1 GiB to stdout in 1 MiB lines, as fast as the pipe takes it.
  flood: `const line = 'x'.repeat(${MiB} - 1) + '\\n';
for (let i = 0; i < 1024; i += 1) {
  if (!process.stdout.write(line)) await new Promise((resolve) => process.stdout.once('drain', resolve));
}
console.log('flood done');
`,
} as const;

let cluster: FaultCluster;

beforeAll(async () => {
  cluster = await startFaultCluster({
    workers: 1,
    env: { STRATUS_WORKER_CONCURRENCY: '2', STRATUS_TRAINER_HEAP_MB: String(HEAP_MB) },
  });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

const submitTrainer = async (name: keyof typeof TRAINERS, maxRunningTime?: string) => {
  const uri = `gs://demo/packages/${name}.tgz`;
  await cluster.storage.write(
    uri,
    trainerTarball({
      'package.json': JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'task.mjs' }),
      'task.mjs': TRAINERS[name],
    }),
  );
  const created = await apiCall<Job>(cluster.api().url, cluster.adminToken, 'POST', jobs, {
    jobId: name,
    trainingInput: {
      scaleTier: 'BASIC',
      region: 'local',
      jobDir: `gs://demo/jobs/${name}`,
      packageUris: [uri],
      module: 'task.mjs',
      ...(maxRunningTime === undefined ? {} : { scheduling: { maxRunningTime } }),
    },
  });
  expect(created.status).toBe(200);
};

const finished = (jobId: string): Promise<Job> =>
  waitForJob(
    cluster.api().url,
    cluster.adminToken,
    jobId,
    ['SUCCEEDED', 'FAILED', 'CANCELLED'],
    90_000,
  );

describe('runaway custom trainers', () => {
  it('stops a heap hog, a SIGTERM-ignoring sleeper and a 1 GiB stdout flood; the worker carries on', async () => {
    const [worker] = cluster.workers;
    // 10 s: time for the trainer to start (and install its handler) on a loaded machine.
    await submitTrainer('sleeper', '10s');
    await submitTrainer('hog');
    await submitTrainer('flood');
    const iris = await apiCall<Job>(cluster.api().url, cluster.adminToken, 'POST', jobs, {
      jobId: 'iris_ok',
      trainingInput: irisTraining('iris_ok', { epochs: 4 }),
    });
    expect(iris.status).toBe(200);

    const hog = await finished('hog');
    expect(hog.state).toBe('FAILED');
    expect(hog.errorMessage).toMatch(
      /^Trainer module task\.mjs (was killed by signal SIGABRT|exited with code \d+): /,
    );
    expect(hog.errorMessage).toMatch(/JavaScript heap out of memory/);

    const sleeper = await finished('sleeper');
    expect(sleeper.state).toBe('FAILED');
    expect(sleeper.errorMessage).toBe(
      'Trainer module task.mjs ran longer than 10000 ms and was stopped (SIGTERM, then SIGKILL after 10000 ms)',
    );
    const sleeperLogs = (await allLogs(cluster.store, 'sleeper')).map((entry) => entry.message);
    expect(sleeperLogs).toContain('ignoring SIGTERM');

    // The flood is not an error: its lines are cut to 8 KiB and its output is capped, so the
    // trial finishes and what reaches Redis stays bounded.
    const flood = await finished('flood');
    expect([flood.state, flood.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    const floodLogs = await allLogs(cluster.store, 'flood');
    const cut = floodLogs.filter((entry) =>
      entry.message.includes(`[line truncated: ${MiB - 1} bytes]`),
    );
    expect(cut.length).toBeGreaterThan(0);
    const storedBytes = floodLogs.reduce((sum, entry) => sum + Buffer.byteLength(entry.message), 0);
    expect(storedBytes).toBeLessThanOrEqual(32 * MiB + 64 * 1024);
    expect(storedBytes).toBeLessThan((1024 * MiB) / 100);
    expect(floodLogs.map((entry) => entry.message)).toContain('flood done');

    const ok = await finished('iris_ok');
    expect([ok.state, ok.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    // One worker process ran everything and is still up.
    expect(worker?.child.exitCode).toBeNull();
    expect(worker?.child.signalCode).toBeNull();
    for (const jobId of ['hog', 'sleeper', 'flood', 'iris_ok']) {
      const trials = await cluster.store.trials.list('default', jobId);
      expect(trials.map((trial) => trial.workerId)).toEqual([worker?.workerId]);
    }
    console.info(
      `runaway-trainers: hog: ${hog.errorMessage?.split('\n')[0]}; sleeper: ${sleeper.errorMessage}; ` +
        `flood: ${cut.length} lines cut, ${storedBytes} bytes stored of 1 GiB written`,
    );
  }, 150_000);
});
