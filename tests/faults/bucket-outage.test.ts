/**
 * Fault: the bucket becomes unreachable mid-trial. The API and a worker use the
 * gcs backend against the Cloud Storage emulator, which runs in a child
 * process; once the trial has finished an epoch it is SIGKILLed. The trial
 * attempt must fail with a reason that names storage and the object, the
 * worker must stay up (same pid, heartbeat going), /readyz must name storage,
 * and when the emulator comes back on the same port the retried trial must
 * succeed on the same worker process, with nothing restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job, ListWorkersResponse } from '@stratus/spec';
import { createLocalStorage } from '@stratus/storage';
import {
  IRIS_URI,
  alive,
  apiCall,
  irisTraining,
  waitForJob,
  writeIris,
} from '../support/stratus-e2e.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { startFaultGcs, type FaultGcs } from './support/gcs-emulator-process.js';
import { allLogs, allMetrics, epochsReached } from './support/job-streams.js';
import { freePort } from './support/redis-server.js';

const jobId = 'outage';
const EPOCHS = 12;
const ENDED = ['SUCCEEDED', 'FAILED', 'CANCELLED'];
const RETRIED = /^Trial attempt failed and will be retried: (.*)$/s;

let seedDir: string | undefined;
let gcs: FaultGcs | undefined;
let cluster: FaultCluster;

beforeAll(async () => {
  seedDir = await mkdtemp(join(tmpdir(), 'stratus-fault-seed-'));
  const seedBucket = createLocalStorage({ root: seedDir });
  await writeIris(seedBucket);
  await seedBucket.close();
  const port = await freePort();
  // The emulator and the cluster load at the same time; nothing touches storage before the job.
  const [emulator, started] = await Promise.allSettled([
    startFaultGcs(port, { [IRIS_URI]: join(seedDir, 'demo', 'data', 'iris.csv') }),
    startFaultCluster({
      workers: 1,
      env: {
        STRATUS_STORAGE: 'gcs',
        STORAGE_EMULATOR_HOST: `http://127.0.0.1:${port}`,
        GOOGLE_CLOUD_PROJECT: 'stratus-test',
      },
    }),
  ]);
  if (emulator.status === 'fulfilled') gcs = emulator.value;
  if (started.status === 'fulfilled') cluster = started.value;
  if (emulator.status === 'rejected') throw emulator.reason;
  if (started.status === 'rejected') throw started.reason;
}, 120_000);

afterAll(async () => {
  await cluster?.close();
  await gcs?.close();
  if (seedDir !== undefined) await rm(seedDir, { recursive: true, force: true });
}, 60_000);

/** Poll `read` every 50 ms until it returns a value. */
const waitFor = async <T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> => {
  // A timeout guard with a clear message, not an assertion about speed.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
};

describe('bucket outage mid-trial', () => {
  it('fails the attempt naming storage, keeps the worker, and succeeds once storage returns', async () => {
    const { adminToken, store } = cluster;
    const [worker] = cluster.workers;
    if (worker === undefined || gcs === undefined) throw new Error('the cluster did not start');
    const emulator = gcs;
    const call = <T>(method: string, path: string, body?: unknown) =>
      apiCall<T>(cluster.api().url, adminToken, method, path, body);
    const listWorkers = async () => (await call<ListWorkersResponse>('GET', '/v1/workers')).body;

    expect((await call('GET', '/readyz')).status).toBe(200);
    const created = await call<Job>('POST', '/v1/projects/default/jobs', {
      jobId,
      trainingInput: irisTraining(jobId, { epochs: EPOCHS, batchSize: 4 }),
    });
    expect(created.status).toBe(200);

    // Mid-training: the trial has finished (and checkpointed) at least one epoch.
    const epochAtKill = await waitFor(
      'the first epoch',
      async () => {
        const trial = await store.trials.get('default', jobId, '1');
        const reached = epochsReached(await allMetrics(store, jobId)).get('1') ?? 0;
        return trial?.state === 'RUNNING' && reached >= 1 ? reached : undefined;
      },
      60_000,
    );
    // killedAt, backAt and doneAt are only reported (console.info below), never asserted.
    const killedAt = Date.now();
    await emulator.kill();

    // While the bucket is gone: the attempt fails naming storage, /readyz says storage is down.
    const [failure, readiness] = await Promise.all([
      waitFor(
        'the failed attempt',
        async () => {
          const logged = (await allLogs(store, jobId)).find(
            (entry) => entry.trialId === '1' && RETRIED.test(entry.message),
          );
          if (logged !== undefined) return logged;
          const job = await store.jobs.get('default', jobId);
          if (ENDED.includes(job.state)) {
            throw new Error(`the job ended (${job.state}) without a failed attempt`);
          }
          return undefined;
        },
        60_000,
      ),
      call<{ error: { message: string } }>('GET', '/readyz'),
    ]);
    const failedAfterMs = Date.parse(failure.time) - killedAt;
    const reason = RETRIED.exec(failure.message)?.[1] ?? '';
    expect(failure.severity).toBe('WARNING');
    // STORAGE_UNAVAILABLE (connection refused or cut mid-upload) or STORAGE_ERROR, with the
    // operation and the object (a checkpoint, or the model) it was writing or listing.
    expect(reason).toMatch(
      /^Storage (is unavailable: \w+|operation \w+ on) gs:\/\/demo\/jobs\/outage\//,
    );
    expect(reason).not.toMatch(/\n\s+at /); // no stack trace
    expect(readiness.status).toBe(503);
    expect(readiness.body.error.message).toMatch(/^Not ready: storage: /);

    // The worker lives on: same process, heartbeats after the failure, the trial set to be
    // retried (waiting out its backoff on the delayed list, or already on its next attempt).
    const during = await waitFor(
      'a heartbeat after the failure with the trial set to be retried',
      async () => {
        const listed = await listWorkers();
        const me = listed.workers.find((entry) => entry.workerId === worker.workerId);
        const delayed = listed.queues.find((queue) => queue.kind === 'cpu')?.delayed;
        const trial = await store.trials.get('default', jobId, '1');
        const retrying = delayed === 1 || (trial?.attempts ?? 0) >= 2;
        return me !== undefined &&
          Date.parse(me.lastHeartbeatTime) > Date.parse(failure.time) &&
          retrying
          ? me
          : undefined;
      },
      10_000,
    );
    expect(during.pid).toBe(worker.pid);
    expect(alive(worker.pid)).toBe(true);
    const trialDuring = await store.trials.get('default', jobId, '1');
    expect(trialDuring?.state).toBe('RUNNING');
    expect(trialDuring?.errorMessage).toBeUndefined();

    // Storage returns (empty but for the seeded dataset): the retried attempt trains to the end.
    await emulator.start();
    const backAt = Date.now();
    const job = await waitForJob(cluster.api().url, adminToken, jobId, ENDED, 90_000);
    const doneAt = Date.now();
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    const trial = await store.trials.get('default', jobId, '1');
    expect(trial?.state).toBe('SUCCEEDED');
    expect(trial?.attempts).toBeGreaterThanOrEqual(2);
    expect(trial?.workerId).toBe(worker.workerId);
    const logs = await allLogs(store, jobId);
    expect(
      logs.some((entry) =>
        entry.message.startsWith(`Trial 1 attempt 2 on worker ${worker.workerId},`),
      ),
    ).toBe(true);
    const losses = (await allMetrics(store, jobId)).filter((point) => point.name === 'loss');
    expect(losses.at(-1)?.step).toBe(EPOCHS);
    expect(worker.child.exitCode).toBeNull();
    expect(worker.child.signalCode).toBeNull();
    expect(cluster.workers).toHaveLength(1);
    expect((await listWorkers()).workers.map((entry) => entry.pid)).toEqual([worker.pid]);
    expect((await call('GET', '/readyz')).status).toBe(200);

    const retriedAt = logs.find((entry) => entry.message.startsWith('Trial 1 attempt 2 '))?.time;
    console.info(
      `bucket-outage: killed after epoch ${epochAtKill}; attempt failed ${failedAfterMs} ms later: ` +
        `${reason}; storage back ${backAt - killedAt} ms after the kill; attempt 2 began ` +
        `${retriedAt === undefined ? '?' : Date.parse(retriedAt) - Date.parse(failure.time)} ms after the failure; ` +
        `SUCCEEDED ${doneAt - backAt} ms after storage returned (trial attempts ${trial?.attempts})`,
    );
  }, 120_000);
});
