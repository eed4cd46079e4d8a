/**
 * Fault: restart Redis (SIGTERM, then a new redis-server on the same port and
 * AOF dir) while a job trains. The API, the worker and the predictor must
 * reconnect by themselves, the job must finish, and no job, trial, token,
 * model or version may be lost.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { predictorPlugin } from '@stratus/predictor';
import type { Job } from '@stratus/spec';
import { apiCall, irisTraining, waitForJob } from '../support/stratus-e2e.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { CLASSIC, deployIris, predictClassic } from './support/iris-predict.js';
import { allMetrics, epochsReached } from './support/job-streams.js';

const jobs = '/v1/projects/default/jobs';
let cluster: FaultCluster;

beforeAll(async () => {
  cluster = await startFaultCluster({ workers: 1, plugins: [predictorPlugin()] });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

/** Everything a restart must not lose, as the store reads it. */
const snapshot = async () => {
  const { store } = cluster;
  const { jobs: listed } = await store.listJobs('default', { pageSize: 100 });
  const trials = await Promise.all(
    listed.map(async (job) => [job.jobId, await store.listTrials('default', job.jobId)] as const),
  );
  const base = cluster.api().url;
  const models = await apiCall(base, cluster.adminToken, 'GET', '/v1/projects/default/models');
  const versions = await apiCall(
    base,
    cluster.adminToken,
    'GET',
    '/v1/projects/default/models/iris/versions',
  );
  return {
    jobs: listed.map((job) => ({ jobId: job.jobId, createTime: job.createTime })),
    trials: trials.map(([jobId, list]) => [jobId, list.map((trial) => trial.trialId)]),
    tokens: await store.listTokens(),
    models: models.body,
    versions: versions.body,
  };
};

describe('Redis restart during a job', () => {
  it('reconnects the API, worker and predictor; the job finishes; nothing is lost', async () => {
    const { adminToken } = cluster;
    const call = <T>(method: string, path: string, body?: unknown) =>
      apiCall<T>(cluster.api().url, adminToken, method, path, body);

    // Before: a finished job deployed as a READY version, and a viewer token.
    await call('POST', jobs, {
      jobId: 'before',
      trainingInput: irisTraining('before', { epochs: 20, dropout: 0 }),
    });
    const before = await waitForJob(
      cluster.api().url,
      adminToken,
      'before',
      ['SUCCEEDED', 'FAILED'],
      60_000,
    );
    expect(before.state).toBe('SUCCEEDED');
    const deployed = await deployIris(cluster.api().url, adminToken, 'before');
    expect(deployed.response).toMatchObject({ state: 'READY' });
    const expected = CLASSIC.map(([, label]) => label);
    const predictedBefore = await predictClassic(cluster.api().url, adminToken);
    expect(predictedBefore.status).toBe(200);
    const viewer = await call<{ token: string }>('POST', '/v1/tokens', {
      project: 'default',
      role: 'viewer',
      description: 'survives a restart',
    });
    expect(viewer.status).toBe(200);

    // The job that Redis restarts under.
    const epochs = 12;
    const created = await call<Job>('POST', jobs, {
      jobId: 'during',
      trainingInput: irisTraining('during', { epochs, batchSize: 2 }),
    });
    expect(created.status).toBe(200);
    for (;;) {
      const reached = epochsReached(await allMetrics(cluster.store, 'during')).get('1') ?? 0;
      if (reached >= 2) break;
      await sleep(100);
    }
    const kept = await snapshot();
    const oldPid = cluster.redisServer.pid();
    // The in-process API and predictor log connection errors through pino (regression: ioredis
    // wrote each refused reconnect to stderr with console.error).
    const consoleError = vi.spyOn(console, 'error');
    await cluster.redisServer.stop();
    // A request made while Redis is down waits for the reconnection instead of failing.
    const during = call('GET', `${jobs}/before`);
    await sleep(1_000);
    await cluster.redisServer.start();
    expect((await during).status).toBe(200);
    expect(cluster.redisServer.pid()).not.toBe(oldPid);
    expect(consoleError.mock.calls.filter((args) => String(args[0]).includes('[ioredis]'))).toEqual(
      [],
    );
    consoleError.mockRestore();

    const job = await waitForJob(
      cluster.api().url,
      adminToken,
      'during',
      ['SUCCEEDED', 'FAILED'],
      90_000,
    );
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    expect(job.trainingOutput?.completedTrialCount).toBe('1');
    const losses = (await allMetrics(cluster.store, 'during')).filter(
      (point) => point.name === 'loss',
    );
    expect(losses.at(-1)?.step).toBe(epochs);

    const after = await snapshot();
    expect(after.jobs).toEqual(kept.jobs);
    expect(after.trials).toEqual(kept.trials);
    expect(after.tokens).toEqual(kept.tokens);
    expect(after.models).toEqual(kept.models);
    expect(after.versions).toEqual(kept.versions);
    // The tokens still authenticate; the READY version still predicts.
    const asViewer = await apiCall(cluster.api().url, viewer.body.token, 'GET', `${jobs}/before`);
    expect(asViewer.status).toBe(200);
    const predictedAfter = await predictClassic(cluster.api().url, adminToken);
    expect(predictedAfter).toEqual({ status: 200, labels: predictedBefore.labels });
    expect(predictedAfter.labels).toHaveLength(expected.length);
  }, 180_000);
});
