/**
 * Load: SSE_CLIENTS (default 100) Server-Sent-Event clients follow one running
 * job's logs and as many follow its metrics (an API server, a worker process,
 * real Redis). Every client must receive the same events, in stream order, the
 * same as the job's stored log and metrics once it has ended, and its stream
 * must end with `event: end` carrying the final state; /healthz answers 200
 * while all the streams are open. Prints figures; asserts no time.
 */
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '@stratus/api';
import { createApiLogger } from '@stratus/http';
import { loadConfig } from '@stratus/config';
import type { Job } from '@stratus/spec';
import {
  apiCall,
  irisTraining,
  openE2eEnv,
  spawnWorker,
  waitForJob,
  type E2eEnv,
  type WorkerProcess,
} from '../support/stratus-e2e.js';

const CLIENTS = Number(process.env.SSE_CLIENTS ?? 100);
const jobId = 'sse_fanout';
const jobPath = `/v1/projects/default/jobs/${jobId}`;

let env: E2eEnv;
let api: ApiServer;
let worker: WorkerProcess | undefined;

beforeAll(async () => {
  env = await openE2eEnv({ STRATUS_WORKER_CONCURRENCY: '1' });
  api = await startApiServer(loadConfig(env.env), {
    logger: createApiLogger({ level: 'silent' }),
  });
  worker = await spawnWorker(env.env);
});

afterAll(async () => {
  if (worker !== undefined) {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  await api?.close();
  await env?.close();
});

interface SseEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** One SSE client: resolves with every event once the server ends the stream. */
const follow = async (
  path: string,
  onOpen: () => void,
): Promise<{ status: number; events: SseEvent[] }> => {
  const response = await fetch(`${api.url}${path}`, {
    headers: { authorization: `Bearer ${env.adminToken}`, accept: 'text/event-stream' },
  });
  onOpen();
  const events: SseEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let split = buffer.indexOf('\n\n');
    while (split >= 0) {
      const block = buffer.slice(0, split);
      buffer = buffer.slice(split + 2);
      split = buffer.indexOf('\n\n');
      const fields = new Map<string, string>();
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
      }
      if (!fields.has('data')) continue;
      const id = fields.get('id');
      events.push({
        ...(id === undefined ? {} : { id }),
        event: fields.get('event') ?? 'message',
        data: fields.get('data') ?? '',
      });
    }
  }
  return { status: response.status, events };
};

/** Compare stream ids `a-b` numerically. */
const idLess = (a: string, b: string): boolean => {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am < bm || (am === bm && as < bs);
};

/** Every entry of a stored stream, page by page. */
const readAll = async (kind: 'logs' | 'metrics'): Promise<unknown[]> => {
  const all: unknown[] = [];
  let token: string | undefined;
  do {
    const query = `?pageSize=1000${token === undefined ? '' : `&pageToken=${token}`}`;
    const { status, body } = await apiCall<{
      entries?: unknown[];
      metrics?: unknown[];
      nextPageToken?: string;
    }>(api.url, env.adminToken, 'GET', `${jobPath}/${kind}${query}`);
    expect(status).toBe(200);
    all.push(...(body.entries ?? body.metrics ?? []));
    token = body.nextPageToken;
  } while (token !== undefined);
  return all;
};

describe(`load: ${CLIENTS} SSE clients on one job's logs and ${CLIENTS} on its metrics`, () => {
  it('sends every client the same events in order and ends every stream with the job', async () => {
    const created = await apiCall(api.url, env.adminToken, 'POST', '/v1/projects/default/jobs', {
      jobId,
      trainingInput: irisTraining(jobId, { epochs: 150, hiddenUnits: [16] }),
    });
    expect(created.status).toBe(200);
    const running = await waitForJob(api.url, env.adminToken, jobId, ['RUNNING'], 60_000);
    expect(running.state).toBe('RUNNING');

    let open = 0;
    // connectMs and healthMs are reported, not asserted: a load test's figures.
    const connectStart = performance.now();
    const clients = Array.from({ length: CLIENTS * 2 }, (_, i) =>
      follow(`${jobPath}/${i % 2 === 0 ? 'logs' : 'metrics'}?follow=true`, () => {
        open += 1;
      }),
    );
    while (open < CLIENTS * 2) await sleep(20);
    const connectMs = performance.now() - connectStart;
    const stateWhenOpen = (await apiCall<Job>(api.url, env.adminToken, 'GET', jobPath)).body.state;
    const healthStart = performance.now();
    const health = await fetch(`${api.url}/healthz`);
    const healthMs = performance.now() - healthStart;
    expect(health.status).toBe(200);

    const results = await Promise.all(clients);
    const final = await waitForJob(api.url, env.adminToken, jobId, ['SUCCEEDED', 'FAILED'], 5_000);
    expect(final.state).toBe('SUCCEEDED');

    const stored = { logs: await readAll('logs'), metrics: await readAll('metrics') };
    const counts: Record<string, number> = {};
    for (const [i, { status, events }] of results.entries()) {
      const kind = i % 2 === 0 ? 'logs' : 'metrics';
      expect(status).toBe(200);
      const end = events.at(-1);
      expect(end?.event).toBe('end');
      expect(JSON.parse(end!.data)).toEqual({ state: 'SUCCEEDED' });
      const entries = events.slice(0, -1);
      expect(new Set(entries.map((event) => event.event))).toEqual(
        new Set([kind === 'logs' ? 'log' : 'metric']),
      );
      for (let k = 1; k < entries.length; k += 1) {
        expect(idLess(entries[k - 1]!.id!, entries[k]!.id!)).toBe(true);
      }
      // The same entries, in the same order, as the job's stored stream.
      expect(entries.map((event) => JSON.parse(event.data) as unknown)).toEqual(stored[kind]);
      counts[kind] = entries.length;
    }
    expect(stored.logs.length).toBeGreaterThan(0);
    expect(stored.metrics.length).toBeGreaterThan(0);
    expect(worker?.child.exitCode).toBeNull();

    const figures = {
      clients: { logs: CLIENTS, metrics: CLIENTS },
      eventsPerClient: counts,
      eventsDelivered: CLIENTS * ((counts.logs ?? 0) + (counts.metrics ?? 0)),
      connectMs: Math.round(connectMs),
      jobStateWhenAllOpen: stateWhenOpen,
      healthzDuringFanOutMs: Math.round(healthMs),
      loadAverage: loadavg().map((value) => Number(value.toFixed(1))),
    };
    process.stdout.write(`LOAD sse-fanout ${JSON.stringify(figures)}\n`);
  });
});
