/**
 * The job service end to end: the API (in this process, real HTTP), two
 * worker processes, real Redis, real trial processes, the local bucket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiServer } from '@stratus/api';
import type { Job, ListLogsResponse, ListMetricsResponse } from '@stratus/spec';
import type { JobStore } from '@stratus/store';
import { startCluster, type Cluster } from './support/cluster.js';
import { alive, apiCall, irisTraining, waitForJob, type E2eEnv } from './support/stratus-e2e.js';

let cluster: Cluster;
let env: E2eEnv;
let api: ApiServer;
let store: JobStore;

const call = <T>(method: string, path: string, body?: unknown) =>
  apiCall<T>(api.url, env.adminToken, method, path, body);
const jobs = '/v1/projects/default/jobs';

const readLogs = async (jobId: string) =>
  (await call<ListLogsResponse>('GET', `${jobs}/${jobId}/logs?pageSize=1000`)).body.entries;
const readMetrics = async (jobId: string) =>
  (await call<ListMetricsResponse>('GET', `${jobs}/${jobId}/metrics?pageSize=1000`)).body.metrics;
/**
 * Follow an SSE stream until it ends: each event's name, and the job's state when the first
 * event arrived (live delivery shows as a first event seen while the job still ran).
 */
const followEvents = async (
  path: string,
  jobId: string,
): Promise<{ events: string[]; stateAtFirst: string | undefined }> => {
  const response = await fetch(`${api.url}${path}`, {
    headers: { authorization: `Bearer ${env.adminToken}` },
  });
  const events: string[] = [];
  let stateAtFirst: string | undefined;
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of response.body ?? []) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    const blocks = text.split('\n\n');
    text = blocks.pop() ?? '';
    for (const block of blocks) {
      const event = /^event: (.+)$/m.exec(block)?.[1];
      if (event === undefined) continue;
      if (events.length === 0) stateAtFirst = (await store.jobs.get('default', jobId)).state;
      events.push(event);
    }
  }
  return { events, stateAtFirst };
};
const trialPid = async (jobId: string): Promise<number> => {
  const line = (await readLogs(jobId)).find((entry) => /trial process \d+/.test(entry.message));
  return Number(/trial process (\d+)/.exec(line?.message ?? '')?.[1] ?? 0);
};
const waitForEpoch = async (jobId: string, step: number, timeoutMs: number): Promise<void> => {
  // A timeout guard with a clear message, not an assertion about speed.
  const deadline = Date.now() + timeoutMs;
  while (!(await readMetrics(jobId)).some((point) => point.name === 'loss' && point.step >= step)) {
    if (Date.now() > deadline) throw new Error(`${jobId} never reached epoch ${step}`);
    await sleep(100);
  }
};

beforeAll(async () => {
  cluster = await startCluster();
  ({ env, api, store } = cluster);
}, 180_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

describe('job service end to end', () => {
  it('runs the Iris job over REST to SUCCEEDED: model bundle, logs, metrics, live SSE', async () => {
    const created = await call<Job>('POST', jobs, {
      jobId: 'iris_rest',
      trainingInput: irisTraining('iris_rest'),
    });
    expect(created.status).toBe(200);
    const liveMetrics = followEvents(`${jobs}/iris_rest/metrics?follow=true`, 'iris_rest');
    const liveLogs = followEvents(`${jobs}/iris_rest/logs?follow=true`, 'iris_rest');

    const job = await waitForJob(
      api.url,
      env.adminToken,
      'iris_rest',
      ['SUCCEEDED', 'FAILED'],
      60_000,
    );
    expect(job.state).toBe('SUCCEEDED');
    expect(job.trainingOutput?.modelDir).toBe('gs://demo/jobs/iris_rest/model');
    expect(await env.storage.exists('gs://demo/jobs/iris_rest/model/model.json')).toBe(true);
    expect(await env.storage.exists('gs://demo/jobs/iris_rest/model/stratus.json')).toBe(true);

    const messages = (await readLogs('iris_rest')).map((entry) => entry.message);
    expect(messages).toContain('Model exported to gs://demo/jobs/iris_rest/model');
    const accuracy = (await readMetrics('iris_rest')).filter((p) => p.name === 'val_accuracy');
    expect(accuracy.map((point) => point.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(accuracy.at(-1)?.value).toBeGreaterThan(0.6);

    // Live: every entry arrives on the streams, the first ones while the job still ran.
    const metricEvents = await liveMetrics;
    const logEvents = await liveLogs;
    const count = (events: string[], name: string): number =>
      events.filter((event) => event === name).length;
    expect(count(metricEvents.events, 'metric')).toBe((await readMetrics('iris_rest')).length);
    expect(count(logEvents.events, 'log')).toBe((await readLogs('iris_rest')).length);
    expect(metricEvents.events.at(-1)).toBe('end');
    expect(logEvents.events.at(-1)).toBe('end');
    expect(['QUEUED', 'PREPARING', 'RUNNING']).toContain(metricEvents.stateAtFirst);
    expect(['QUEUED', 'PREPARING', 'RUNNING']).toContain(logEvents.stateAtFirst);

    // Cancelling a finished job is a 400 and changes nothing.
    const cancelled = await call<{ error: { status: string } }>('POST', `${jobs}/iris_rest:cancel`);
    expect(cancelled.status).toBe(400);
    expect(cancelled.body.error.status).toBe('FAILED_PRECONDITION');
    expect((await call<Job>('GET', `${jobs}/iris_rest`)).body).toEqual(job);

    const listed = await call<{ workers: { workerId: string; backend: string }[] }>(
      'GET',
      '/v1/workers',
    );
    expect(listed.body.workers.map((w) => w.workerId).sort()).toEqual(
      cluster.workers.map((w) => w.workerId).sort(),
    );
    expect(listed.body.workers.every((w) => w.backend === 'wasm')).toBe(true);
  }, 180_000);

  it('tunes on two worker processes at once: 4 trials, best first, best model present', async () => {
    const created = await call<Job>('POST', jobs, {
      jobId: 'iris_tune',
      trainingInput: {
        ...irisTraining('iris_tune', { epochs: 6, batchSize: 8 }),
        hyperparameters: {
          goal: 'MAXIMIZE',
          hyperparameterMetricTag: 'val_accuracy',
          maxTrials: 4,
          maxParallelTrials: 2,
          params: [
            {
              parameterName: 'learningRate',
              type: 'DOUBLE',
              minValue: 0.0001,
              maxValue: 0.1,
              scaleType: 'UNIT_LOG_SCALE',
            },
            {
              parameterName: 'hiddenUnits',
              type: 'CATEGORICAL',
              categoricalValues: ['16', '32,16'],
            },
          ],
        },
      },
    });
    expect(created.status).toBe(200);
    const job = await waitForJob(
      api.url,
      env.adminToken,
      'iris_tune',
      ['SUCCEEDED', 'FAILED'],
      90_000,
    );
    expect(job.state).toBe('SUCCEEDED');
    const trials = job.trainingOutput?.trials ?? [];
    expect(trials).toHaveLength(4);
    expect(job.trainingOutput?.completedTrialCount).toBe('4');
    const objectives = trials.map((t) => t.finalMetric?.objectiveValue ?? -1);
    expect(objectives).toEqual([...objectives].sort((a, b) => b - a));
    expect(job.trainingOutput?.bestTrialId).toBe(trials[0]?.trialId);
    expect(await env.storage.exists(`${job.trainingOutput?.modelDir}/model.json`)).toBe(true);
    const ranOn = new Set((await store.trials.list('default', 'iris_tune')).map((t) => t.workerId));
    expect(ranOn).toEqual(new Set(cluster.workers.map((w) => w.workerId)));
  }, 180_000);

  it('cancels a running job mid-training, its trial process gone; a second cancel is a 400', async () => {
    // Far more epochs than any test timeout allows: only the cancel can end this trial.
    const epochs = 100_000;
    await call('POST', jobs, {
      jobId: 'iris_cancel',
      trainingInput: irisTraining('iris_cancel', { epochs }),
    });
    await waitForEpoch('iris_cancel', 1, 30_000);
    const pid = await trialPid('iris_cancel');
    expect(alive(pid)).toBe(true);

    const cancel = await call<Job>('POST', `${jobs}/iris_cancel:cancel`);
    expect(cancel.status).toBe(200);
    const job = await waitForJob(api.url, env.adminToken, 'iris_cancel', ['CANCELLED'], 60_000);
    expect(job.state).toBe('CANCELLED');
    expect(alive(pid)).toBe(false);
    const losses = (await readMetrics('iris_cancel')).filter((point) => point.name === 'loss');
    expect(Math.max(...losses.map((point) => point.step))).toBeLessThan(epochs);

    const again = await call<{ error: { code: number; status: string } }>(
      'POST',
      `${jobs}/iris_cancel:cancel`,
    );
    expect(again.status).toBe(400);
    expect(again.body.error.status).toBe('FAILED_PRECONDITION');
    expect((await waitForJob(api.url, env.adminToken, 'iris_cancel', [], 0)).state).toBe(
      'CANCELLED',
    );
  }, 180_000);

  it('resumes a SIGKILLed worker’s trial on the other worker from its checkpoint, one result', async () => {
    // Batches of one make an epoch slow enough to kill the worker between epochs 3 and 8.
    const epochs = 8;
    await call('POST', jobs, {
      jobId: 'iris_kill',
      trainingInput: irisTraining('iris_kill', { epochs, batchSize: 1 }),
    });
    await waitForEpoch('iris_kill', 3, 60_000);
    const trial = await store.trials.get('default', 'iris_kill', '1');
    const victim = cluster.workers.find((w) => w.workerId === trial?.workerId);
    expect(victim).toBeDefined();
    const trialProcess = await trialPid('iris_kill');
    victim?.child.kill('SIGKILL');
    await victim?.exited;

    const job = await waitForJob(
      api.url,
      env.adminToken,
      'iris_kill',
      ['SUCCEEDED', 'FAILED'],
      90_000,
    );
    expect(job.state).toBe('SUCCEEDED');
    expect(alive(trialProcess)).toBe(false);
    const after = await store.trials.get('default', 'iris_kill', '1');
    expect(after?.attempts).toBe(2);
    expect(after?.workerId).not.toBe(victim?.workerId);
    expect(after?.state).toBe('SUCCEEDED');

    const messages = (await readLogs('iris_kill')).map((entry) => entry.message);
    const resumed = messages
      .map((message) => /Resuming from the checkpoint after epoch (\d+)/.exec(message)?.[1])
      .filter((epoch) => epoch !== undefined);
    expect(resumed).toHaveLength(1);
    const fromEpoch = Number(resumed[0]);
    expect(fromEpoch).toBeGreaterThanOrEqual(3);
    // Trained from scratch again it would report `epochs` more loss points than it did.
    const losses = (await readMetrics('iris_kill')).filter((point) => point.name === 'loss');
    expect(losses.length).toBeLessThan(epochs + fromEpoch);
    expect(losses.at(-1)?.step).toBe(epochs);
  }, 180_000);

  it('drains on SIGTERM: the trial pauses at its checkpoint, goes back to the queue, resumes elsewhere', async () => {
    // The next worker starts meanwhile; the one holding the trial is drained.
    const successor = cluster.spawnWorker();
    const epochs = 8;
    await call('POST', jobs, {
      jobId: 'iris_drain',
      trainingInput: irisTraining('iris_drain', { epochs, batchSize: 1 }),
    });
    await waitForEpoch('iris_drain', 3, 60_000);
    const holder = (await store.trials.get('default', 'iris_drain', '1'))?.workerId;
    const drained = cluster.workers.find((w) => w.workerId === holder);
    expect(drained).toBeDefined();
    drained?.child.kill('SIGTERM');
    expect(await drained?.exited).toEqual({ code: 0, signal: null });
    expect((await readLogs('iris_drain')).map((e) => e.message)).toContain(
      'Trial paused: its worker is shutting down; it resumes from its last checkpoint',
    );

    await successor;
    const job = await waitForJob(
      api.url,
      env.adminToken,
      'iris_drain',
      ['SUCCEEDED', 'FAILED'],
      90_000,
    );
    expect(job.state).toBe('SUCCEEDED');
    const trial = await store.trials.get('default', 'iris_drain', '1');
    expect(trial?.attempts).toBe(2);
    expect(trial?.workerId).not.toBe(holder);
    const resumed = (await readLogs('iris_drain'))
      .map((entry) => /Resuming from the checkpoint after epoch (\d+)/.exec(entry.message)?.[1])
      .filter((epoch) => epoch !== undefined);
    expect(resumed).toHaveLength(1);
    expect(Number(resumed[0])).toBeGreaterThanOrEqual(3);
    const losses = (await readMetrics('iris_drain')).filter((point) => point.name === 'loss');
    expect(losses.at(-1)?.step).toBe(epochs);
  }, 180_000);
});
