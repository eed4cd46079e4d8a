/**
 * A bare SSE follower for fault tests: reads `event` entries of a job stream,
 * and when the connection ends before `event: end` (or cannot be opened)
 * reconnects with the last id it saw as Last-Event-ID, counting connections. A 503
 * (fastify answers it while the server closes) is retried like a refused connection.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseEventStream } from '@stratus/client';

export interface FollowResult {
  /** Event ids in the order they arrived (across reconnections). */
  readonly ids: string[];
  /** Connections that delivered a response (1 without reconnects). */
  readonly connections: number;
  /** Last-Event-ID sent on each reconnection. */
  readonly resumedAfter: string[];
  /** The `event: end` payload. */
  readonly end: unknown;
}

export const followUntilEnd = async (
  url: () => string,
  path: string,
  token: string,
  event: string,
  deadlineMs: number,
): Promise<FollowResult> => {
  const ids: string[] = [];
  const resumedAfter: string[] = [];
  let connections = 0;
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const last = ids.at(-1);
    let response: Response;
    try {
      response = await fetch(`${url()}${path}`, {
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
          ...(last === undefined ? {} : { 'last-event-id': last }),
        },
      });
    } catch {
      await sleep(100); // the server is down: try again
      continue;
    }
    if (response.status === 503) {
      await response.body?.cancel();
      await sleep(100); // the server is closing: try again
      continue;
    }
    if (response.status !== 200 || response.body === null) {
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
    }
    connections += 1;
    if (last !== undefined) resumedAfter.push(last);
    try {
      for await (const message of parseEventStream(response.body)) {
        if (message.event === 'end') {
          return { ids, connections, resumedAfter, end: JSON.parse(message.data) as unknown };
        }
        if (message.event === 'error') throw new Error(`${path} sent an error: ${message.data}`);
        if (message.event === event && message.id !== undefined) ids.push(message.id);
      }
    } catch (error) {
      if (error instanceof Error && error.message.includes('sent an error')) throw error;
      // The connection broke: reconnect.
    }
  }
  throw new Error(`${path} did not end within ${deadlineMs} ms`);
};
