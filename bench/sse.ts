// bench/sse: how fast the client parses a followed log stream (`parseEventStream` of
// packages/client/src/event-stream.ts): BENCH_EVENTS log events as the API writes them, with
// heartbeats, in 16 KiB reads.
//   npm run bench:sse            (BENCH_EVENTS=200000, BENCH_ROUNDS=5 by default)
// BENCH_BASELINE=dir parses the same bytes with another checkout's `parseEventStream` (its
// sources, run through tsx as these are) in rounds alternating with this one's.
// Prints one JSON line: events/s per round, and the medians.
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BASELINE = process.env.BENCH_BASELINE;
const PARSER = 'packages/client/src/event-stream.ts';
const READ_BYTES = 16 * 1024;

/** `parseEventStream` of packages/client/src/event-stream.ts, as far as this bench uses it. */
type ParseEventStream = (
  body: ReadableStream<Uint8Array>,
) => AsyncIterable<{ readonly event: string; readonly data: string }>;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const load = async (root: string): Promise<ParseEventStream> => {
  const module = (await import(pathToFileURL(join(resolve(root), PARSER)).href)) as {
    parseEventStream: ParseEventStream;
  };
  return module.parseEventStream;
};

/** The stream `services/api/src/sse.ts` writes for a job's logs, as one buffer. */
const streamBytes = (): Uint8Array => {
  const parts = ['retry: 3000\n\n'];
  for (let i = 0; i < EVENTS; i += 1) {
    const entry = {
      trialId: String(1 + (i % 4)),
      severity: 'INFO',
      message: `epoch ${i}/40 loss=${(1 / (i + 1)).toFixed(6)} accuracy=0.9${i % 10}`,
      time: new Date(1_735_689_600_000 + i).toISOString(),
    };
    parts.push(`id: ${1_735_689_600_000 + i}-0\nevent: log\ndata: ${JSON.stringify(entry)}\n\n`);
    if (i % 100 === 99) parts.push(': heartbeat\n\n');
  }
  parts.push('event: end\ndata: {"state":"SUCCEEDED"}\n\n');
  return new TextEncoder().encode(parts.join(''));
};

/** A body that hands out `bytes` in network-sized reads. */
const bodyOf = (bytes: Uint8Array): ReadableStream<Uint8Array> => {
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) controller.close();
      else controller.enqueue(bytes.subarray(at, (at += READ_BYTES)));
    },
  });
};

/** Seconds to parse every event of `bytes`; throws unless it yields them all. */
const parseAll = async (parse: ParseEventStream, bytes: Uint8Array): Promise<number> => {
  const t0 = performance.now();
  let logs = 0;
  for await (const event of parse(bodyOf(bytes))) if (event.event === 'log') logs += 1;
  const seconds = (performance.now() - t0) / 1000;
  if (logs !== EVENTS) throw new Error(`parsed ${logs} log events, expected ${EVENTS}`);
  return seconds;
};

const parsers: { name: string; parse: ParseEventStream; seconds: number[] }[] = [
  { name: 'current', parse: await load(join(import.meta.dirname, '..')), seconds: [] },
];
if (BASELINE !== undefined) {
  parsers.push({ name: 'baseline', parse: await load(BASELINE), seconds: [] });
}

const bytes = streamBytes();
const loadAverage = loadavg()[0];
for (const parser of parsers) await parseAll(parser.parse, bytes);
for (let round = 0; round < ROUNDS; round += 1) {
  const order = round % 2 === 0 ? parsers : [...parsers].reverse();
  for (const parser of order) parser.seconds.push(await parseAll(parser.parse, bytes));
}
const result: Record<string, unknown> = {
  events: EVENTS,
  streamMB: bytes.length / 1e6,
  loadAverage,
};
for (const { name, seconds } of parsers) {
  result[name] = {
    medianSeconds: median(seconds),
    medianEventsPerSecond: EVENTS / median(seconds),
    seconds,
  };
}
if (parsers.length === 2) {
  const [current, baseline] = parsers as [(typeof parsers)[0], (typeof parsers)[0]];
  result.currentOverBaselineSeconds = median(current.seconds) / median(baseline.seconds);
}
console.log(JSON.stringify(result));
