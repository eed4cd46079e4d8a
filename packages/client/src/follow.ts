import type { JobState } from '@stratus/spec';
import { StratusApiError, errorFromResponse } from './api-error.js';
import { parseEventStream } from './event-stream.js';
import type { Query, Transport } from './transport.js';

/** An entry of a followed stream, with its event id (resume after it). */
export type WithEventId<T> = T & { readonly id: string };

export interface FollowOptions {
  /** Only this trial's entries. */
  readonly trial?: string;
  /** Resume after this event id (sent as Last-Event-ID). */
  readonly lastEventId?: string;
  /** Stops following. */
  readonly signal?: AbortSignal;
  /** Called once with the job's final state when the stream ends. */
  readonly onEnd?: (end: { readonly state: JobState }) => void;
  /** Reconnect attempts after the connection drops before the job ended. @defaultValue 5 */
  readonly maxReconnects?: number;
  /**
   * Delay before a reconnect, in ms. The stream's `retry:` (the API sends 3000) does not
   * override it: a caller that asks for a delay gets that delay.
   * @defaultValue 1000
   */
  readonly reconnectDelayMs?: number;
}

/**
 * Answers worth reconnecting after: no response, or a server (or its proxy) that is
 * restarting — fastify answers 503 while it closes.
 */
const RECONNECT_CODES = new Set([0, 502, 503, 504]);

const sleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Follow a job's log or metric stream (SSE) until the job ends: yields each
 * entry with its id, reconnects with Last-Event-ID after a dropped
 * connection (no entry is lost or repeated), and throws StratusApiError when
 * the server reports an error.
 */
export async function* followEvents<T>(
  transport: Transport,
  path: string,
  event: string,
  options: FollowOptions = {},
): AsyncGenerator<WithEventId<T>, void, undefined> {
  let lastEventId = options.lastEventId;
  const delay = options.reconnectDelayMs ?? 1000;
  let reconnects = 0;
  const { signal } = options;
  // A function, not a property read, so TypeScript does not narrow it across awaits.
  const aborted = (): boolean => signal?.aborted === true;
  const query: Query = {
    follow: true,
    ...(options.trial === undefined ? {} : { trial: options.trial }),
  };
  while (!aborted()) {
    let response: Response;
    try {
      response = await transport.send('GET', path, {
        query,
        headers: {
          accept: 'text/event-stream',
          ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
        },
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error) {
      if (aborted()) return;
      if (!(error instanceof StratusApiError) || !RECONNECT_CODES.has(error.code)) throw error;
      if (reconnects++ >= (options.maxReconnects ?? 5)) throw error;
      await sleep(delay, signal);
      continue;
    }
    if (response.body === null) throw new TypeError(`${path} returned no body`);
    try {
      for await (const message of parseEventStream(response.body)) {
        if (message.event === 'end') {
          options.onEnd?.(JSON.parse(message.data) as { state: JobState });
          return;
        }
        if (message.event === 'error') {
          throw errorFromResponse(500, JSON.parse(message.data) as unknown, undefined);
        }
        if (message.event !== event || message.id === undefined) continue;
        lastEventId = message.id;
        reconnects = 0;
        yield { ...(JSON.parse(message.data) as T), id: message.id };
      }
    } catch (error) {
      if (aborted()) return;
      if (error instanceof StratusApiError) throw error;
      // The connection broke mid-stream: reconnect below.
    }
    if (reconnects++ >= (options.maxReconnects ?? 5)) {
      throw new StratusApiError({
        code: 0,
        status: 'UNAVAILABLE',
        reason: 'STREAM_INTERRUPTED',
        message: `The event stream ${path} kept closing before the job ended`,
      });
    }
    await sleep(delay, signal);
  }
}
