/**
 * Fault: restart the API (close it, start a new one on the same port) while a
 * job trains. The job finishes, nothing is lost, and SSE clients following
 * its logs and metrics reconnect with Last-Event-ID and continue with no gap
 * and no duplicate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from '@stratus/spec';
import { apiCall, irisTraining, waitForJob } from '../support/stratus-e2e.js';
import { startFaultCluster, type FaultCluster } from './support/fault-cluster.js';
import { allLogs, allMetrics, epochsReached } from './support/job-streams.js';
import { followUntilEnd } from './support/sse-follower.js';

const jobs = '/v1/projects/default/jobs';
let cluster: FaultCluster;

beforeAll(async () => {
  cluster = await startFaultCluster({ workers: 1 });
}, 120_000);

afterAll(async () => {
  await cluster?.close();
}, 60_000);

describe('API restart during a job', () => {
  it('loses nothing; SSE followers resume after their Last-Event-ID with no gap or repeat', async () => {
    const { adminToken, store } = cluster;
    const url = (): string => cluster.api().url;
    const epochs = 10;
    const created = await apiCall<Job>(url(), adminToken, 'POST', jobs, {
      jobId: 'api_restart',
      trainingInput: irisTraining('api_restart', { epochs, batchSize: 2 }),
    });
    expect(created.status).toBe(200);
    const logs = followUntilEnd(
      url,
      `${jobs}/api_restart/logs?follow=true`,
      adminToken,
      'log',
      120_000,
    );
    const metrics = followUntilEnd(
      url,
      `${jobs}/api_restart/metrics?follow=true`,
      adminToken,
      'metric',
      120_000,
    );
    for (;;) {
      if ((epochsReached(await allMetrics(store, 'api_restart')).get('1') ?? 0) >= 2) break;
      await sleep(100);
    }
    const port = new URL(url()).port;
    const before = await store.jobs.get('default', 'api_restart');
    await cluster.restartApi();
    expect(new URL(url()).port).toBe(port);
    // A job submitted right after the restart is kept too.
    const second = await apiCall<Job>(url(), adminToken, 'POST', jobs, {
      jobId: 'after_restart',
      trainingInput: irisTraining('after_restart', { epochs: 2 }),
    });
    expect(second.status).toBe(200);

    const job = await waitForJob(url(), adminToken, 'api_restart', ['SUCCEEDED', 'FAILED'], 90_000);
    expect([job.state, job.errorMessage ?? '']).toEqual(['SUCCEEDED', '']);
    expect(job.createTime).toBe(before.createTime);
    const followedLogs = await logs;
    const followedMetrics = await metrics;
    expect(followedLogs.end).toMatchObject({ state: 'SUCCEEDED' });

    // Both followers were cut by the restart and resumed after the last id they had.
    for (const followed of [followedLogs, followedMetrics]) {
      expect(followed.connections).toBeGreaterThanOrEqual(2);
      expect(followed.resumedAfter).toHaveLength(followed.connections - 1);
      for (const id of followed.resumedAfter) expect(followed.ids).toContain(id);
    }
    // What they received is exactly the stored stream: no gap, no duplicate, in order.
    expect(followedLogs.ids).toEqual((await allLogs(store, 'api_restart')).map((e) => e.id));
    expect(followedMetrics.ids).toEqual((await allMetrics(store, 'api_restart')).map((e) => e.id));
    const losses = (await allMetrics(store, 'api_restart')).filter((p) => p.name === 'loss');
    expect(losses.map((p) => p.step)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));

    const afterJob = await waitForJob(
      url(),
      adminToken,
      'after_restart',
      ['SUCCEEDED', 'FAILED'],
      60_000,
    );
    expect(afterJob.state).toBe('SUCCEEDED');
  }, 180_000);
});
