import { describe, expect, it } from 'vitest';
import { parseEventStream, type EventStreamOptions, type ServerSentEvent } from './event-stream.js';

/** A body that delivers `chunks` one read at a time, as a network would. */
const bodyOf = (chunks: readonly (string | Uint8Array)[]): ReadableStream<Uint8Array> => {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    },
  });
};

const parse = async (
  chunks: readonly (string | Uint8Array)[],
  options?: EventStreamOptions,
): Promise<ServerSentEvent[]> => {
  const events: ServerSentEvent[] = [];
  for await (const event of parseEventStream(bodyOf(chunks), options)) events.push(event);
  return events;
};

describe('parseEventStream', () => {
  it('reads id, event and data, skipping comments and retry-only blocks', async () => {
    expect(
      await parse([
        'retry: 3000\n\n: heartbeat\n\n',
        'id: 1-0\nevent: log\ndata: {"message":"a"}\n\n',
        'event: end\ndata: {"state":"SUCCEEDED"}\n\n',
      ]),
    ).toEqual([
      { id: '1-0', event: 'log', data: '{"message":"a"}' },
      { event: 'end', data: '{"state":"SUCCEEDED"}' },
    ]);
  });

  it('joins events split anywhere across chunks, CRLF included', async () => {
    const text = 'id: 7-1\r\nevent: metric\r\ndata: {"v":1}\r\n\r\ndata: x\r\n\r\n';
    const oneByOne = [...text];
    expect(await parse(oneByOne)).toEqual([
      { id: '7-1', event: 'metric', data: '{"v":1}' },
      { event: 'message', data: 'x' },
    ]);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: héllo ✓\n\n');
    const cut = 8; // inside "é"
    expect(await parse([bytes.slice(0, cut), bytes.slice(cut)])).toEqual([
      { event: 'message', data: 'héllo ✓' },
    ]);
  });

  it('joins multi-line data, keeps colons in values, drops an unterminated last event', async () => {
    expect(
      await parse(['data: line 1\ndata: line 2\ndata:no-space: kept\n\n', 'data: never finished']),
    ).toEqual([{ event: 'message', data: 'line 1\nline 2\nno-space: kept' }]);
  });

  it('passes on every retry interval as it is read, in a block of its own or not', async () => {
    const retries: number[] = [];
    const onRetry = (ms: number): void => {
      retries.push(ms);
    };
    expect(
      await parse(['retry: 3000\n\n', 'retry: 250\nid: 3\ndata: {}\n\nretry: x\n\n'], { onRetry }),
    ).toEqual([{ id: '3', event: 'message', data: '{}' }]);
    expect(retries).toEqual([3000, 250]);
  });

  it('reads lone CR line ends, and yields no event for a block with an id but no data', async () => {
    expect(await parse(['id: 1\r\rdata: a\rdata: b\r', '\r'])).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
    expect(await parse(['data: a\r'])).toEqual([]);
    expect(await parse(['data: a\n'])).toEqual([]);
  });
});
