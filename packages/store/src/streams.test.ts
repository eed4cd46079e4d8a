import { afterAll, describe, expect, it } from 'vitest';
import type { MetricPoint } from '@stratus/spec';
import type { LogEntry } from './stream-codecs.js';
import { jobInput, openTestStore } from '../../../tests/support/test-store.js';

const t = openTestStore({ limits: { maxLogEntries: 50, maxMetricPoints: 50, followBlockMs: 300 } });
const { store } = t;
// A follower here that ever blocked in XREAD would wait an hour: the test would time out.
const neverBlocks = openTestStore({ limits: { followBlockMs: 3_600_000 } });
afterAll(async () => {
  await t.close();
  await neverBlocks.close();
});

let counter = 0;
const newJob = async (): Promise<string> => {
  counter += 1;
  const jobId = `job_${counter}`;
  await store.jobs.create('demo', jobInput(jobId));
  return jobId;
};

const TIME = '2024-05-01T12:00:00.000Z';
const log = (message: string, trialId?: string): LogEntry => ({
  ...(trialId === undefined ? {} : { trialId }),
  severity: 'INFO',
  message,
  time: TIME,
});
const point = (trialId: string, step: number, value: number): MetricPoint => ({
  trialId,
  step,
  name: 'val_accuracy',
  value,
  time: TIME,
});

const finish = async (jobId: string): Promise<void> => {
  await store.jobs.transition('demo', jobId, { from: ['QUEUED'], to: 'PREPARING' });
  await store.jobs.transition('demo', jobId, { from: ['PREPARING'], to: 'RUNNING' });
  await store.jobs.transition('demo', jobId, { from: ['RUNNING'], to: 'SUCCEEDED' });
};

const drain = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
};

describe('log and metric streams', () => {
  it('appends and reads log entries with their ids, filtered by trial, resumable', async () => {
    const jobId = await newJob();
    const first = await store.streams.appendLog('demo', jobId, log('starting'));
    const ids = await store.streams.appendLogs('demo', jobId, [
      log('t1 a', '1'),
      log('t2 a', '2'),
      log('t1 b', '1'),
    ]);
    expect(first).toMatch(/^\d+-\d+$/);
    const all = await store.streams.readLogs('demo', jobId);
    expect(all.entries).toEqual([
      { id: first, severity: 'INFO', message: 'starting', time: TIME },
      { id: ids[0], trialId: '1', severity: 'INFO', message: 't1 a', time: TIME },
      { id: ids[1], trialId: '2', severity: 'INFO', message: 't2 a', time: TIME },
      { id: ids[2], trialId: '1', severity: 'INFO', message: 't1 b', time: TIME },
    ]);
    expect(all.lastId).toBe(ids[2]);
    const trial1 = await store.streams.readLogs('demo', jobId, { trialId: '1', count: 1 });
    expect(trial1.entries.map((entry) => entry.message)).toEqual(['t1 a']);
    const rest = await store.streams.readLogs('demo', jobId, {
      trialId: '1',
      afterId: trial1.lastId,
    });
    expect(rest.entries.map((entry) => entry.message)).toEqual(['t1 b']);
    await expect(
      store.streams.appendLog('demo', jobId, {
        severity: 'LOUD' as 'INFO',
        message: 'x',
        time: TIME,
      }),
    ).rejects.toMatchObject({
      reason: 'INVALID_ARGUMENT',
      message: expect.stringContaining('severity "LOUD"'),
    });
  });

  it('appends metric points in one round trip and reads exact values back', async () => {
    const jobId = await newJob();
    const points = [point('1', 1, 0.1 + 0.2), point('1', 2, 1 / 3), point('2', 1, -1e-300)];
    const ids = await store.streams.appendMetrics('demo', jobId, points);
    expect(ids).toHaveLength(3);
    const read = await store.streams.readMetrics('demo', jobId);
    expect(read.entries).toEqual(points.map((p, i) => ({ ...p, id: ids[i] })));
    expect((await store.streams.readMetrics('demo', jobId, { trialId: '2' })).entries).toEqual([
      { ...points[2], id: ids[2] },
    ]);
  });

  it('caps each stream near its configured length, keeping the newest entries', async () => {
    const jobId = await newJob();
    const points = Array.from({ length: 1000 }, (_, i) => point('1', i, i));
    const ids = await store.streams.appendMetrics('demo', jobId, points);
    await store.streams.appendLogs(
      'demo',
      jobId,
      Array.from({ length: 1000 }, (_, i) => log(`line ${i}`)),
    );
    const keys = store.keys.job('demo', jobId);
    for (const key of [keys.metrics, keys.logs]) {
      const length = await t.redis.xlen(key);
      // MAXLEN ~ trims whole radix-tree nodes (stream-node-max-entries, 100 by default).
      expect(length).toBeGreaterThanOrEqual(50);
      expect(length).toBeLessThanOrEqual(150);
    }
    const read = await store.streams.readMetrics('demo', jobId, { count: 10_000 });
    expect(read.entries.at(-1)).toEqual({ ...points[999], id: ids[999] });
  });

  it('writes an end marker when the job finishes, and reading stops there', async () => {
    const jobId = await newJob();
    await store.streams.appendLog('demo', jobId, log('only line'));
    await finish(jobId);
    const read = await store.streams.readLogs('demo', jobId);
    expect(read.entries.map((entry) => entry.message)).toEqual(['only line']);
    expect(read.end).toMatchObject({ state: 'SUCCEEDED' });
    expect((await store.streams.readMetrics('demo', jobId)).end).toMatchObject({
      state: 'SUCCEEDED',
    });
  });
});

describe('following a job', () => {
  it('delivers backlog and live entries, and ends when the job ends', async () => {
    const jobId = await newJob();
    await store.streams.appendLog('demo', jobId, log('before'));
    const seen: string[] = [];
    const following = (async () => {
      for await (const entry of store.streams.followLogs('demo', jobId)) {
        seen.push(entry.message);
        if (entry.message === 'before') {
          await store.streams.appendLogs('demo', jobId, [log('live 1'), log('live 2')]);
        }
        if (entry.message === 'live 2') await finish(jobId);
      }
    })();
    await following;
    expect(seen).toEqual(['before', 'live 1', 'live 2']);
  });

  it('ends at once for a job that already finished, and resumes after an id', async () => {
    // Ending "at once" means without a blocking read: this store blocks for an hour.
    const finished = neverBlocks.store;
    await finished.jobs.create('demo', jobInput('job_done'));
    const ids = await finished.streams.appendMetrics('demo', 'job_done', [
      point('1', 1, 0.5),
      point('1', 2, 0.6),
    ]);
    await finished.jobs.transition('demo', 'job_done', { from: ['QUEUED'], to: 'PREPARING' });
    await finished.jobs.transition('demo', 'job_done', { from: ['PREPARING'], to: 'RUNNING' });
    await finished.jobs.transition('demo', 'job_done', { from: ['RUNNING'], to: 'SUCCEEDED' });
    const all = await drain(finished.streams.followMetrics('demo', 'job_done'));
    expect(all.map((entry) => entry.step)).toEqual([1, 2]);
    const resumed = await drain(
      finished.streams.followMetrics('demo', 'job_done', { afterId: ids[0] }),
    );
    expect(resumed.map((entry) => entry.id)).toEqual([ids[1]]);
    // After the end marker nothing is left to read: only the job's state ends the follow.
    const marker = (await finished.streams.readMetrics('demo', 'job_done')).end?.id;
    expect(marker).toMatch(/^\d+-\d+$/);
    expect(
      await drain(finished.streams.followMetrics('demo', 'job_done', { afterId: marker })),
    ).toEqual([]);
  });

  it('does not hang when no end marker comes: the periodic state check ends it', async () => {
    const jobId = await newJob();
    await store.jobs.transition('demo', jobId, { from: ['QUEUED'], to: 'PREPARING' });
    const done = drain(store.streams.followLogs('demo', jobId));
    // Wait until the follower is blocked in XREAD (flag `b` in CLIENT LIST).
    const blockedFollowers = async (): Promise<number> =>
      String(await t.redis.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(`name=${t.prefix}-follow `) && / flags=\w*b/.test(line))
        .length;
    await expect.poll(blockedFollowers, { timeout: 10_000 }).toBe(1);
    // The job ends without a marker (as if trimmed away): only the state says so.
    await t.redis.hset(store.keys.job('demo', jobId).meta, 'state', 'FAILED');
    expect(await done).toEqual([]);
  });

  it('stops following when the signal aborts, closing its connection', async () => {
    const jobId = await newJob();
    const controller = new AbortController();
    const clients = async (): Promise<number> =>
      String(await t.redis.client('LIST'))
        .split('\n')
        .filter((line) => line.includes(`name=${t.prefix}-follow `)).length;
    const following = drain(store.streams.followLogs('demo', jobId, { signal: controller.signal }));
    await expect.poll(clients).toBe(1);
    controller.abort();
    expect(await following).toEqual([]);
    await expect.poll(clients).toBe(0);
  });

  it('refuses to follow a missing job', async () => {
    await expect(drain(store.streams.followLogs('demo', 'missing'))).rejects.toMatchObject({
      reason: 'JOB_NOT_FOUND',
    });
  });
});
