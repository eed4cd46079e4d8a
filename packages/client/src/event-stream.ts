import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One Server-Sent Event. */
export interface ServerSentEvent {
  /** `event:`; `message` when the server sent none. */
  readonly event: string;
  /** `data:` lines joined by newlines. */
  readonly data: string;
  /** `id:`, when the event carried one. */
  readonly id?: string;
}

export interface EventStreamOptions {
  /**
   * Called with each `retry:` interval (ms) as it is read, whichever block it came in: like
   * EventSource, the stream's reconnection time, not a field of an event.
   */
  readonly onRetry?: (ms: number) => void;
}

const toEvent = ({ event, data, id }: EventSourceMessage): ServerSentEvent => ({
  event: event ?? 'message',
  data,
  ...(id === undefined ? {} : { id }),
});

/**
 * Parse a `text/event-stream` body into events, as they arrive (WHATWG SSE rules, by
 * `eventsource-parser`). Uses only ReadableStream and TextDecoder besides it, so it runs in
 * browsers and Node alike. Blocks without data (comments, a lone `retry:` or `id:`) yield
 * nothing; a partial event at the end of the stream is dropped, as EventSource does.
 */
export async function* parseEventStream(
  body: ReadableStream<Uint8Array>,
  options: EventStreamOptions = {},
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let events: ServerSentEvent[] = [];
  const parser = createParser({
    onEvent: (message) => events.push(toEvent(message)),
    ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
  });
  let endsWithCr = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      parser.feed(text);
      if (text !== '') endsWithCr = text.endsWith('\r');
      // The parser holds a trailing CR back in case an LF follows; at the end none will, and
      // an LF now ends that line as the CR alone would have.
      if (done && endsWithCr) parser.feed('\n');
      const ready = events;
      events = [];
      yield* ready;
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
