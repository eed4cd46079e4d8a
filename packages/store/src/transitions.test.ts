import { afterAll, describe, expect, it } from 'vitest';
import { JOB_STATES, StratusError, TERMINAL_JOB_STATES, type JobState } from '@stratus/spec';
import {
  decodeTransitionJobReply,
  transitionJobArgs,
  type TransitionJobReply,
} from './commands/job.js';
import { etagOf } from './etag.js';
import { createJobStore } from './store.js';
import { jobInput, openTestStore } from '../../../tests/support/test-store.js';

const t = openTestStore();
const { store } = t;
afterAll(() => t.close());

/** docs/api.md, written out here rather than read from the code under test. */
const ALLOWED = new Set([
  'QUEUED>PREPARING',
  'QUEUED>FAILED',
  'QUEUED>CANCELLING',
  'PREPARING>RUNNING',
  'PREPARING>FAILED',
  'PREPARING>CANCELLING',
  'RUNNING>SUCCEEDED',
  'RUNNING>FAILED',
  'RUNNING>CANCELLING',
  'CANCELLING>CANCELLED',
]);

const PATH: Record<JobState, JobState[]> = {
  QUEUED: [],
  PREPARING: ['PREPARING'],
  RUNNING: ['PREPARING', 'RUNNING'],
  SUCCEEDED: ['PREPARING', 'RUNNING', 'SUCCEEDED'],
  FAILED: ['FAILED'],
  CANCELLING: ['CANCELLING'],
  CANCELLED: ['CANCELLING', 'CANCELLED'],
};

let counter = 0;
/** A fresh job driven to `state`. */
const jobIn = async (state: JobState): Promise<string> => {
  counter += 1;
  const jobId = `job_${counter}`;
  await store.jobs.create('demo', jobInput(jobId));
  let current: JobState = 'QUEUED';
  for (const next of PATH[state]) {
    const result = await store.jobs.transition('demo', jobId, { from: [current], to: next });
    expect(result.ok).toBe(true);
    current = next;
  }
  return jobId;
};

const indexOf = async (jobId: string): Promise<JobState[]> => {
  const keys = store.keys.project('demo');
  const hits = await Promise.all(
    JOB_STATES.map(
      async (state) => (await t.redis.zscore(keys.jobsInState(state), jobId)) !== null,
    ),
  );
  return JOB_STATES.filter((_, i) => hits[i]);
};

describe('job state transitions', () => {
  const pairs = JOB_STATES.flatMap((from) => JOB_STATES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s follows the state graph', async (from, to) => {
    const jobId = await jobIn(from);
    const before = await store.jobs.get('demo', jobId);
    const rev = Buffer.from(before.etag ?? '', 'base64')
      .toString()
      .replace('rev:', '');
    if (ALLOWED.has(`${from}>${to}`)) {
      const result = await store.jobs.transition('demo', jobId, { from: [from], to });
      expect(result).toEqual({ ok: true, from, to, etag: etagOf(String(Number(rev) + 1)) });
      expect((await store.jobs.get('demo', jobId)).state).toBe(to);
      expect(await indexOf(jobId)).toEqual([to]);
    } else {
      let error: unknown;
      try {
        await store.jobs.transition('demo', jobId, { from: [from], to });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(StratusError);
      expect((error as StratusError).reason).toBe('INVALID_STATE_TRANSITION');
      expect((error as StratusError).message).toBe(
        `Cannot move job "projects/demo/jobs/${jobId}" from ${from} to ${to}`,
      );
      expect(await store.jobs.get('demo', jobId)).toEqual(before);
      expect(await indexOf(jobId)).toEqual([from]);
    }
  });

  it('is a compare-and-set: a stale `from` loses and changes nothing', async () => {
    const jobId = await jobIn('QUEUED');
    const result = await store.jobs.transition('demo', jobId, {
      from: ['RUNNING'],
      to: 'SUCCEEDED',
    });
    expect(result).toEqual({ ok: false, state: 'QUEUED' });
    expect((await store.jobs.get('demo', jobId)).etag).toBe(etagOf('1'));
  });

  it('never changes a finished job, whatever the caller claims', async () => {
    for (const final of ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const) {
      const jobId = await jobIn(final);
      const before = await store.jobs.get('demo', jobId);
      expect(
        await store.jobs.transition('demo', jobId, { from: ['RUNNING'], to: 'FAILED' }),
      ).toEqual({
        ok: false,
        state: final,
      });
      expect(
        await store.jobs.transition('demo', jobId, {
          from: ['QUEUED', 'PREPARING', 'RUNNING'],
          to: 'CANCELLING',
        }),
      ).toEqual({ ok: false, state: final });
      expect(await store.jobs.get('demo', jobId)).toEqual(before);
    }
  });

  it('stamps startTime once and endTime at the end, with the patch', async () => {
    const jobId = await jobIn('RUNNING');
    const running = await store.jobs.get('demo', jobId);
    expect(running.startTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(running.endTime).toBeUndefined();
    await store.jobs.transition('demo', jobId, {
      from: ['RUNNING'],
      to: 'FAILED',
      patch: { errorMessage: 'trainer exited with code 1' },
    });
    const failed = await store.jobs.get('demo', jobId);
    expect(failed.startTime).toBe(running.startTime);
    expect(failed.endTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(failed.errorMessage).toBe('trainer exited with code 1');
  });

  it('throws JOB_NOT_FOUND for a missing job', async () => {
    await expect(
      store.jobs.transition('demo', 'nope', { from: ['QUEUED'], to: 'PREPARING' }),
    ).rejects.toMatchObject({ reason: 'JOB_NOT_FOUND' });
  });

  it('publishes every change on the job-state channel', async () => {
    const events: unknown[] = [];
    const subscription = await store.events.subscribeJobStates((event) => {
      events.push(event);
    });
    const jobId = await jobIn('PREPARING');
    await expect.poll(() => events.length).toBe(1);
    await subscription.close();
    expect(events[0]).toMatchObject({ project: 'demo', jobId, from: 'QUEUED', to: 'PREPARING' });
  });
});

/** The transition script called directly, as a caller that skipped transitionJob's own check would. */
const runTransitionScript = async (
  jobId: string,
  from: readonly JobState[],
  to: JobState,
): Promise<TransitionJobReply> => {
  const jobKeys = store.keys.job('demo', jobId);
  const projectKeys = store.keys.project('demo');
  const args = transitionJobArgs({
    keys: { meta: jobKeys.meta, logs: jobKeys.logs, metrics: jobKeys.metrics },
    stateIndexes: Object.fromEntries(
      JOB_STATES.map((state) => [state, projectKeys.jobsInState(state)]),
    ) as Record<JobState, string>,
    args: {
      to,
      now: new Date().toISOString(),
      from,
      project: 'demo',
      jobId,
      maxLogs: 100,
      maxMetrics: 100,
      channel: store.keys.channel('job-state'),
    },
    fields: ['errorMessage', 'must not be written'],
  });
  return decodeTransitionJobReply(await t.redis.stratusTransitionJob(args));
};

/** Everything the transition script could write for a job: its hash, index entries and streams. */
const footprint = async (jobId: string): Promise<unknown> => {
  const jobKeys = store.keys.job('demo', jobId);
  return {
    meta: await t.redis.hgetall(jobKeys.meta),
    indexes: await indexOf(jobId),
    logs: await t.redis.xlen(jobKeys.logs),
    metrics: await t.redis.xlen(jobKeys.metrics),
  };
};

describe('the transition script enforces the state graph itself', () => {
  const live = JOB_STATES.filter((state) => !TERMINAL_JOB_STATES.includes(state));
  const illegal = live.flatMap((from) =>
    JOB_STATES.filter((to) => !ALLOWED.has(`${from}>${to}`)).map((to) => [from, to] as const),
  );

  it.each(illegal)('refuses %s → %s and writes nothing', async (from, to) => {
    const jobId = await jobIn(from);
    const before = await footprint(jobId);
    expect(await runTransitionScript(jobId, [from], to)).toEqual({
      outcome: 'ILLEGAL',
      state: from,
    });
    expect(await footprint(jobId)).toEqual(before);
  });

  it('refuses an illegal edge hidden in a `from` list, publishing nothing', async () => {
    const events: unknown[] = [];
    const subscription = await store.events.subscribeJobStates((event) => {
      events.push(event);
    });
    const jobId = await jobIn('QUEUED');
    const before = await footprint(jobId);
    expect(await runTransitionScript(jobId, ['QUEUED', 'RUNNING'], 'SUCCEEDED')).toEqual({
      outcome: 'ILLEGAL',
      state: 'QUEUED',
    });
    expect(await footprint(jobId)).toEqual(before);
    // A legal change after it is the first event the channel carries.
    expect(await runTransitionScript(jobId, ['QUEUED'], 'PREPARING')).toEqual({
      outcome: 'OK',
      from: 'QUEUED',
      rev: '2',
    });
    await expect.poll(() => events.length).toBe(1);
    await subscription.close();
    expect(events).toEqual([expect.objectContaining({ jobId, from: 'QUEUED', to: 'PREPARING' })]);
  });

  it('answers a finished job with its state, as a lost race, whatever the edge', async () => {
    for (const final of TERMINAL_JOB_STATES) {
      const jobId = await jobIn(final);
      const before = await footprint(jobId);
      expect(await runTransitionScript(jobId, [final], 'RUNNING')).toEqual({
        outcome: 'CONFLICT',
        state: final,
      });
      expect(await footprint(jobId)).toEqual(before);
    }
  });
});

describe('racing transitions', () => {
  const racers = Array.from({ length: 50 }, () =>
    createJobStore({ redis: t.connect(), prefix: t.prefix }),
  );

  it('50 connections moving QUEUED → PREPARING: exactly one wins', async () => {
    const jobId = await jobIn('QUEUED');
    const results = await Promise.all(
      racers.map((racer) =>
        racer.jobs.transition('demo', jobId, { from: ['QUEUED'], to: 'PREPARING' }),
      ),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual(
      Array.from({ length: 49 }, () => ({ ok: false, state: 'PREPARING' })),
    );
    expect((await store.jobs.get('demo', jobId)).etag).toBe(etagOf('2'));
  });

  it('a finishing worker racing cancels and a failing worker: one outcome, one index entry', async () => {
    for (let round = 0; round < 5; round += 1) {
      const jobId = await jobIn('RUNNING');
      const targets: JobState[] = ['SUCCEEDED', 'FAILED', 'CANCELLING'];
      const results = await Promise.all(
        racers.map((racer, i) =>
          racer.jobs.transition('demo', jobId, {
            from: ['RUNNING'],
            to: targets[i % 3] ?? 'FAILED',
          }),
        ),
      );
      const winners = results.filter((result) => result.ok);
      expect(winners).toHaveLength(1);
      const final = (await store.jobs.get('demo', jobId)).state;
      expect(winners[0]).toMatchObject({ to: final });
      expect(await indexOf(jobId)).toEqual([final]);
    }
  });
});
