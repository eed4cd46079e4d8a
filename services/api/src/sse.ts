import { once } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { StratusError, coerceError, toGoogleError } from '@stratus/spec';

/** One stream to send as Server-Sent Events. */
export interface EventSource<T extends { readonly id: string }> {
  /** The `event:` name of each entry (`log`, `metric`). */
  readonly event: string;
  /** Entries, ending when the job ends; must stop when `signal` aborts. */
  follow(signal: AbortSignal): AsyncIterable<T>;
  /** Payload of the final `event: end` (e.g. the job's final state). */
  end(): Promise<object>;
  readonly heartbeatMs: number;
}

/** Open SSE streams, so a closing server can end them instead of waiting on them. */
export type OpenStreams = Set<AbortController>;

/**
 * Send a stream as Server-Sent Events: `id:` is the entry's stream id (a
 * reconnecting EventSource sends it back as Last-Event-ID), `event:` its
 * kind, `data:` the entry as JSON without its id; `event: end` once the job
 * has ended, `event: error` (Google error body) if the stream breaks, a
 * comment every `heartbeatMs` so proxies keep the connection. A client that
 * disconnects aborts the follower (which closes its Redis connection).
 */
export const sendEvents = async <T extends { readonly id: string }>(
  request: FastifyRequest,
  reply: FastifyReply,
  source: EventSource<T>,
  open: OpenStreams,
): Promise<void> => {
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  const controller = new AbortController();
  const { signal } = controller;
  open.add(controller);
  const abort = (): void => controller.abort();
  res.on('close', abort);
  const write = async (chunk: string): Promise<void> => {
    if (!res.write(chunk)) await once(res, 'drain', { signal });
  };
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), source.heartbeatMs);
  try {
    await write('retry: 3000\n\n');
    for await (const entry of source.follow(signal)) {
      const { id, ...data } = entry;
      await write(`id: ${id}\nevent: ${source.event}\ndata: ${JSON.stringify(data)}\n\n`);
    }
    if (!signal.aborted) await write(`event: end\ndata: ${JSON.stringify(await source.end())}\n\n`);
  } catch (error) {
    if (!signal.aborted) {
      const err = coerceError(error);
      request.log.error({ err }, 'event stream failed');
      const body =
        err instanceof StratusError
          ? toGoogleError(err)
          : toGoogleError(new StratusError('INTERNAL', { detail: `stream ${request.id} failed` }));
      res.write(`event: error\ndata: ${JSON.stringify(body)}\n\n`);
    }
  } finally {
    clearInterval(heartbeat);
    res.off('close', abort);
    open.delete(controller);
    res.end();
  }
};
