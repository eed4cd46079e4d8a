/**
 * Fault: SIGKILL a worker in the middle of a batch prediction shard of a
 * 2-worker job. The kill follows the job's state: once a shard has reported
 * rows read but not finished, its worker dies and a replacement starts. The
 * shard runs again (BullMQ hands the stalled trial to a live worker) and
 * rewrites its own output, so the job SUCCEEDS with exactly one result record
 * per input row, checked by key: no duplicates, no gaps.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@stratus/spec';
import { predictorPlugin } from '@stratus/predictor';
import { apiCall, irisTraining, waitForJob } from '../support/stratus-e2e.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { deployIris } from './support/iris-predict.js';

const ROWS = 120_000;
const jobId = 'score_kill';
const OUT = 'gs://demo/batch/out-kill/';

let cluster: FaultCluster;

beforeAll(async () => {
  // 1 MiB shards: about seven shards, each long enough (batches of 4 rows) to be killed mid-way.
  cluster = await startFaultCluster({
    workers: 2,
    plugins: [predictorPlugin()],
    env: { STRATUS_BATCH_SHARD_BYTES: String(1 << 20) },
  });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

describe('a worker SIGKILLed mid-shard during a batch prediction job', () => {
  it('SUCCEEDS with exactly one output record per input row (by key)', async () => {
    const { store, adminToken, storage } = cluster;
    const base = (): string => cluster.api().url;
    const trained = await apiCall(base(), adminToken, 'POST', '/v1/projects/default/jobs', {
      jobId: 'iris_src',
      trainingInput: irisTraining('iris_src', { epochs: 5 }),
    });
    expect(trained.status).toBe(200);
    const source = await waitForJob(
      base(),
      adminToken,
      'iris_src',
      ['SUCCEEDED', 'FAILED'],
      90_000,
    );
    expect(source.state).toBe('SUCCEEDED');
    expect((await deployIris(base(), adminToken, 'iris_src')).error).toBeUndefined();
    const lines: string[] = [];
    for (let i = 0; i < ROWS; i += 1) {
      const f = (i % 50) / 10;
      lines.push(
        JSON.stringify({
          key: i,
          sepal_length: 4.5 + f,
          sepal_width: 3,
          petal_length: 1 + f,
          petal_width: f / 2,
        }),
      );
    }
    await storage.write('gs://demo/batch/kill/in.jsonl', `${lines.join('\n')}\n`);

    const created = await apiCall<Job>(base(), adminToken, 'POST', '/v1/projects/default/jobs', {
      jobId,
      predictionInput: {
        dataFormat: 'JSON',
        inputPaths: ['gs://demo/batch/kill/in.jsonl'],
        outputPath: OUT,
        modelName: 'projects/default/models/iris',
        region: 'local',
        batchSize: 4,
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.predictionOutput?.shardCount).toBeGreaterThan(3);

    // The victim: the worker of a shard that has read rows but not finished.
    let killed: { trialId: string; workerId: string } | undefined;
    while (killed === undefined) {
      const trials = await store.trials.list('default', jobId);
      const running = trials.find(
        (trial) =>
          trial.state === 'RUNNING' &&
          (trial.shard?.rowsDone ?? 0) > 0 &&
          trial.shard?.predictionCount === undefined,
      );
      const victim = cluster.workers.find(
        (worker) =>
          worker.workerId === running?.workerId &&
          worker.child.exitCode === null &&
          worker.child.signalCode === null,
      );
      if (running !== undefined && victim !== undefined) {
        victim.child.kill('SIGKILL');
        await victim.exited;
        killed = { trialId: running.trialId, workerId: victim.workerId };
        break;
      }
      const job = await store.jobs.get('default', jobId);
      if (job.state !== 'QUEUED' && job.state !== 'PREPARING' && job.state !== 'RUNNING') break;
      await sleep(20);
    }
    expect(killed, 'a shard was killed while it ran').toBeDefined();
    const replacement = cluster.spawnWorker();

    const job = await waitForJob(
      base(),
      adminToken,
      jobId,
      ['SUCCEEDED', 'FAILED', 'CANCELLED'],
      180_000,
    );
    await replacement;
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    expect(job.predictionOutput).toMatchObject({
      predictionCount: String(ROWS),
      errorCount: '0',
    });
    const trial = await store.trials.get('default', jobId, killed?.trialId ?? '');
    expect(trial?.attempts).toBeGreaterThanOrEqual(2);
    expect(trial?.workerId).not.toBe(killed?.workerId);

    const seen = new Uint8Array(ROWS);
    let records = 0;
    for await (const object of storage.listAll(`${OUT}prediction.`)) {
      expect(object.name).toMatch(/prediction\.(results|errors_stats)-\d{5}-of-\d{5}$/);
      const text = (await storage.read(object.uri)).toString('utf8');
      for (const line of text.split('\n')) {
        if (line === '') continue;
        const record = JSON.parse(line) as { key: number; prediction?: unknown };
        expect(record.prediction).toBeDefined();
        seen[record.key] = (seen[record.key] ?? 0) + 1;
        records += 1;
      }
    }
    expect(records).toBe(ROWS);
    expect(seen.every((count) => count === 1)).toBe(true);
  }, 300_000);
});
