import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StratusClient, parseEventStream, type ServerSentEvent } from '@stratus/client';
import type { JobState } from '@stratus/spec';
import type { LogEntry } from '@stratus/store';
import { errorOf, irisJob, openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
let baseUrl: string;
let client: StratusClient;

beforeAll(async () => {
  t = await openTestApi({ options: { sseHeartbeatMs: 100 } });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  client = new StratusClient({ baseUrl, token: t.tokens.viewer, project: 'demo' });
});
afterAll(() => t.close());

const time = (i: number): string => new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString();
const log = (i: number, trialId = '1'): LogEntry => ({
  trialId,
  severity: 'INFO',
  message: `line ${i}`,
  time: time(i),
});

const newJob = async (jobId: string): Promise<void> => {
  const response = await t.call('POST', '/v1/projects/demo/jobs', {
    token: t.tokens.editor,
    body: irisJob(jobId),
  });
  expect(response.statusCode).toBe(200);
};

const finish = async (jobId: string, to: JobState = 'SUCCEEDED'): Promise<void> => {
  await t.store.jobs.transition('demo', jobId, { from: ['QUEUED'], to: 'PREPARING' });
  await t.store.jobs.transition('demo', jobId, { from: ['PREPARING'], to: 'RUNNING' });
  await t.store.jobs.transition('demo', jobId, { from: ['RUNNING'], to });
};

/** Connections the store's followers hold open (named `<prefix>-follow`). */
const followers = async (): Promise<number> => {
  const list = String(await t.redis.client('LIST'));
  return list.split('\n').filter((line) => line.includes(`name=${t.prefix}-follow`)).length;
};

/** Raw SSE over HTTP: events until the stream ends (or `limit` events). */
const rawEvents = async (
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string | null; events: ServerSentEvent[] }> => {
  const response = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${t.tokens.viewer}`, ...headers },
  });
  const events: ServerSentEvent[] = [];
  if (response.body !== null && response.ok) {
    for await (const event of parseEventStream(response.body)) events.push(event);
  }
  return { status: response.status, contentType: response.headers.get('content-type'), events };
};

describe('GET …/logs and …/metrics (pages)', () => {
  beforeAll(async () => {
    await newJob('paged');
    await t.store.streams.appendLogs('demo', 'paged', [
      log(1),
      log(2, '2'),
      log(3),
      log(4, '2'),
      log(5),
    ]);
    await t.store.streams.appendMetrics('demo', 'paged', [
      { trialId: '1', step: 1, name: 'loss', value: 0.9, time: time(1) },
      { trialId: '1', step: 2, name: 'loss', value: 0.5, time: time(2) },
      { trialId: '2', step: 1, name: 'loss', value: 0.7, time: time(3) },
    ]);
  });

  it('pages log entries by stream id', async () => {
    const first = await client.logs.list('paged', { pageSize: 2 });
    expect(first.entries.map((entry) => entry.message)).toEqual(['line 1', 'line 2']);
    expect(first.nextPageToken).toMatch(/^[0-9]+-[0-9]+$/);
    const second = await client.logs.list('paged', {
      pageSize: 2,
      ...(first.nextPageToken === undefined ? {} : { pageToken: first.nextPageToken }),
    });
    expect(second.entries.map((entry) => entry.message)).toEqual(['line 3', 'line 4']);
    const all = await client.logs.list('paged');
    expect(all.entries).toHaveLength(5);
    expect(all.nextPageToken).toBeUndefined();
    expect(all.entries[0]).toEqual({
      trialId: '1',
      severity: 'INFO',
      message: 'line 1',
      time: time(1),
    });
  });

  it('filters by trial', async () => {
    const trial2 = await client.logs.list('paged', { trial: '2' });
    expect(trial2.entries.map((entry) => entry.message)).toEqual(['line 2', 'line 4']);
    const metrics = await client.metrics.list('paged', { trial: '1' });
    expect(metrics.metrics.map((point) => [point.step, point.value])).toEqual([
      [1, 0.9],
      [2, 0.5],
    ]);
  });

  it('is 404 for a missing job and 400 for a bad cursor or trial', async () => {
    const missing = await t.call('GET', '/v1/projects/demo/jobs/ghost/logs', {
      token: t.tokens.viewer,
    });
    expect(missing.statusCode).toBe(404);
    const badToken = await t.call('GET', '/v1/projects/demo/jobs/paged/metrics?pageToken=abc', {
      token: t.tokens.viewer,
    });
    expect(badToken.statusCode).toBe(400);
    expect(errorOf(badToken).fields).toEqual(['pageToken']);
    const badTrial = await t.call('GET', '/v1/projects/demo/jobs/paged/logs?trial=0', {
      token: t.tokens.viewer,
    });
    expect(errorOf(badTrial).fields).toEqual(['trial']);
  });
});

describe('?follow=true (Server-Sent Events)', () => {
  it('delivers entries appended after connecting and ends when the job ends', async () => {
    await newJob('live');
    await t.store.streams.appendLogs('demo', 'live', [log(1), log(2)]);
    const received: { id: string; message: string }[] = [];
    let end: { state: JobState } | undefined;
    const done = (async () => {
      for await (const entry of client.logs.follow('live', { onEnd: (e) => (end = e) })) {
        received.push({ id: entry.id, message: entry.message });
      }
    })();
    await expect.poll(() => received.length).toBe(2);
    await t.store.streams.appendLogs('demo', 'live', [log(3)]);
    await expect.poll(() => received.length).toBe(3);
    await t.store.streams.appendLogs('demo', 'live', [log(4)]);
    await finish('live');
    await done;
    expect(received.map((entry) => entry.message)).toEqual([
      'line 1',
      'line 2',
      'line 3',
      'line 4',
    ]);
    const ids = received.map((entry) => entry.id);
    expect([...ids].sort()).toEqual(ids);
    expect(end).toEqual({ state: 'SUCCEEDED' });
    await expect.poll(followers).toBe(0);
  });

  it('streams metrics with event/id/data fields and an end event', async () => {
    await newJob('metric_stream');
    const [firstId] = await t.store.streams.appendMetrics('demo', 'metric_stream', [
      { trialId: '1', step: 1, name: 'val_accuracy', value: 0.5, time: time(1) },
    ]);
    await finish('metric_stream', 'FAILED');
    const { status, contentType, events } = await rawEvents(
      '/v1/projects/demo/jobs/metric_stream/metrics?follow=true',
    );
    expect(status).toBe(200);
    expect(contentType).toBe('text/event-stream; charset=utf-8');
    expect(events).toEqual([
      {
        event: 'metric',
        id: firstId,
        data: JSON.stringify({
          trialId: '1',
          step: 1,
          name: 'val_accuracy',
          value: 0.5,
          time: time(1),
        }),
      },
      { event: 'end', data: '{"state":"FAILED"}' },
    ]);
  });

  it('resumes after Last-Event-ID', async () => {
    await newJob('resume');
    const ids = await t.store.streams.appendLogs('demo', 'resume', [
      log(1),
      log(2),
      log(3),
      log(4),
    ]);
    await finish('resume');
    const { events } = await rawEvents('/v1/projects/demo/jobs/resume/logs?follow=true', {
      'last-event-id': ids[1] ?? '',
    });
    expect(events.map((event) => [event.event, event.id])).toEqual([
      ['log', ids[2]],
      ['log', ids[3]],
      ['end', undefined],
    ]);
    const viaClient: string[] = [];
    for await (const entry of client.logs.follow('resume', { lastEventId: ids[2] ?? '' })) {
      viaClient.push(entry.message);
    }
    expect(viaClient).toEqual(['line 4']);
    const bad = await fetch(`${baseUrl}/v1/projects/demo/jobs/resume/logs?follow=true`, {
      headers: { authorization: `Bearer ${t.tokens.viewer}`, 'last-event-id': 'yesterday' },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe(
      'Last-Event-ID "yesterday" is not an event id this server sent',
    );
  });

  it('filters a followed stream by trial', async () => {
    await newJob('trial_stream');
    await t.store.streams.appendLogs('demo', 'trial_stream', [
      log(1, '1'),
      log(2, '2'),
      log(3, '1'),
    ]);
    await finish('trial_stream');
    const messages: string[] = [];
    for await (const entry of client.logs.follow('trial_stream', { trial: '1' })) {
      messages.push(entry.message);
    }
    expect(messages).toEqual(['line 1', 'line 3']);
  });

  it('sends heartbeat comments while waiting', async () => {
    await newJob('quiet');
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/v1/projects/demo/jobs/quiet/logs?follow=true`, {
      headers: { authorization: `Bearer ${t.tokens.viewer}` },
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes(': heartbeat\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text.startsWith('retry: 3000\n\n')).toBe(true);
    expect(text).toContain(': heartbeat\n\n');
    controller.abort();
    await reader.cancel().catch(() => undefined);
  });

  it('closes the Redis follower when the client disconnects', async () => {
    await newJob('abandoned');
    await t.store.streams.appendLogs('demo', 'abandoned', [log(1)]);
    const controller = new AbortController();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const entry of client.logs.follow('abandoned', { signal: controller.signal })) {
        seen.push(entry.message);
      }
    })();
    await expect.poll(() => seen).toEqual(['line 1']);
    expect(await followers()).toBe(1);
    controller.abort();
    await reading;
    await expect.poll(followers).toBe(0);
    expect((await t.store.jobs.get('demo', 'abandoned')).state).toBe('QUEUED');
  });

  it('reconnects with Last-Event-ID when the connection drops, losing and repeating nothing', async () => {
    await newJob('flaky');
    await t.store.streams.appendLogs('demo', 'flaky', [log(1), log(2), log(3)]);
    await finish('flaky');
    const lastEventIds: (string | null)[] = [];
    let calls = 0;
    // The first response is cut right after its first event, as a dropped connection would be.
    const cutting = async (input: string, init?: RequestInit): Promise<Response> => {
      lastEventIds.push(new Headers(init?.headers).get('last-event-id'));
      const response = await fetch(input, init);
      if (calls++ > 0 || response.body === null) return response;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!/id: .*\n.*\n.*\n\n/.test(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      await reader.cancel();
      const firstEvent = text.slice(0, text.indexOf('\n\n', text.indexOf('id: ')) + 2);
      let pulls = 0;
      // Erroring a stream drops what is queued, so the event is handed out before the reset.
      const body = new ReadableStream<Uint8Array>({
        pull(streamController) {
          if (pulls++ === 0) streamController.enqueue(new TextEncoder().encode(firstEvent));
          else streamController.error(new Error('connection reset'));
        },
      });
      return new Response(body, { status: 200, headers: response.headers });
    };
    const flaky = new StratusClient({
      baseUrl,
      token: t.tokens.viewer,
      project: 'demo',
      fetch: cutting,
    });
    const messages: string[] = [];
    for await (const entry of flaky.logs.follow('flaky', { reconnectDelayMs: 10 })) {
      messages.push(entry.message);
    }
    expect(messages).toEqual(['line 1', 'line 2', 'line 3']);
    expect(lastEventIds).toHaveLength(2);
    expect(lastEventIds[0]).toBeNull();
    expect(lastEventIds[1]).toMatch(/^[0-9]+-[0-9]+$/);
  });

  it('reconnects after a 503 from a restarting server (regression: the follower gave up)', async () => {
    await newJob('restarting');
    await t.store.streams.appendLogs('demo', 'restarting', [log(1), log(2)]);
    await finish('restarting');
    let calls = 0;
    // The first attempt meets a server that is closing, as fastify answers then.
    const closing = async (input: string, init?: RequestInit): Promise<Response> =>
      calls++ === 0
        ? new Response(JSON.stringify({ error: 'Service Unavailable', statusCode: 503 }), {
            status: 503,
            headers: { 'content-type': 'application/json' },
          })
        : fetch(input, init);
    const client = new StratusClient({
      baseUrl,
      token: t.tokens.viewer,
      project: 'demo',
      fetch: closing,
    });
    const messages: string[] = [];
    for await (const entry of client.logs.follow('restarting', { reconnectDelayMs: 10 })) {
      messages.push(entry.message);
    }
    expect(messages).toEqual(['line 1', 'line 2']);
    expect(calls).toBe(2);
  });
});
