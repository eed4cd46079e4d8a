/** One Server-Sent Event. */
export interface ServerSentEvent {
  /** `event:`; `message` when the server sent none. */
  readonly event: string;
  /** `data:` lines joined by newlines. */
  readonly data: string;
  /** `id:`, when the event carried one. */
  readonly id?: string;
  /** `retry:` in ms, when the event carried one. */
  readonly retry?: number;
}

interface Pending {
  event: string;
  data: string[];
  id?: string;
  retry?: number;
}

const fresh = (): Pending => ({ event: '', data: [] });

/** Apply one line of the stream to the event being built (WHATWG SSE parsing rules). */
const applyLine = (line: string, pending: Pending): void => {
  if (line.startsWith(':')) return;
  const colon = line.indexOf(':');
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? '' : line.slice(colon + 1);
  if (value.startsWith(' ')) value = value.slice(1);
  switch (field) {
    case 'event':
      pending.event = value;
      break;
    case 'data':
      pending.data.push(value);
      break;
    case 'id':
      if (!value.includes('\0')) pending.id = value;
      break;
    case 'retry':
      if (/^[0-9]+$/.test(value)) pending.retry = Number(value);
      break;
    default:
      break;
  }
};

const toEvent = (pending: Pending): ServerSentEvent => ({
  event: pending.event === '' ? 'message' : pending.event,
  data: pending.data.join('\n'),
  ...(pending.id === undefined ? {} : { id: pending.id }),
  ...(pending.retry === undefined ? {} : { retry: pending.retry }),
});

/**
 * Parse a `text/event-stream` body into events, as they arrive. Uses only
 * ReadableStream and TextDecoder, so it runs in browsers and Node alike.
 * Blocks without data (comments, a lone `retry:`) yield nothing; a partial
 * event at the end of the stream is dropped, as EventSource does.
 */
export async function* parseEventStream(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let pending = fresh();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // A trailing '\r' may be the first half of '\r\n': keep it for the next chunk.
      const cut = done ? buffer.length : buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
      const lines = buffer.slice(0, cut).split(/\r\n|\r|\n/);
      buffer = (lines.pop() ?? '') + buffer.slice(cut);
      for (const line of lines) {
        if (line === '') {
          if (pending.data.length > 0 || pending.id !== undefined) yield toEvent(pending);
          pending = fresh();
        } else {
          applyLine(line, pending);
        }
      }
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
