// bench/csv: how fast the trainer reads a large CSV (the 1M-row table of large-csv.test.ts) from
// disk into rows: UTF-8 decoding, CSV parsing and the header/row objects, i.e. `readTable`, the
// part of a trial's data passes that depends on the CSV reader.
//   npm run bench:csv            (BENCH_ROWS=1000000, BENCH_ROUNDS=5 by default)
// BENCH_BASELINE=dir reads the same file with another checkout's `readTable` (its sources, run
// through tsx as these are) in rounds alternating with this one's: an A/B under the same load.
// Prints one JSON line: MB/s and seconds per round, and the medians.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { generatedCsv } from '@stratus/trainer/testing';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BASELINE = process.env.BENCH_BASELINE;
const READER = 'packages/trainer/src/data/table-reader.ts';

/** `readTable` of packages/trainer/src/data/table-reader.ts, as far as this bench uses it. */
type ReadTable = (
  path: string,
  uri: string,
  format: 'csv',
) => AsyncIterable<{ readonly kind: string; readonly rows?: readonly unknown[] }>;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const load = async (root: string): Promise<ReadTable> => {
  const module = (await import(pathToFileURL(join(resolve(root), READER)).href)) as {
    readTable: ReadTable;
  };
  return module.readTable;
};

/** Seconds to read every row of `path`; throws unless it yields `ROWS` rows. */
const readAll = async (readTable: ReadTable, path: string): Promise<number> => {
  const t0 = performance.now();
  let rows = 0;
  for await (const event of readTable(path, 'bench.csv', 'csv')) {
    rows += event.rows?.length ?? 0;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (rows !== ROWS) throw new Error(`read ${rows} rows, expected ${ROWS}`);
  return seconds;
};

const readers: { name: string; readTable: ReadTable; seconds: number[] }[] = [
  { name: 'current', readTable: await load(join(import.meta.dirname, '..')), seconds: [] },
];
if (BASELINE !== undefined) {
  readers.push({ name: 'baseline', readTable: await load(BASELINE), seconds: [] });
}

const dir = await mkdtemp(join(tmpdir(), 'bench-csv-'));
try {
  const path = join(dir, 'rows.csv');
  await pipeline(Readable.from(generatedCsv(ROWS)), createWriteStream(path));
  const { size } = await stat(path);
  const loadAverage = loadavg()[0];
  // One untimed read each first: the JIT and the page cache, not the reader, dominate it.
  for (const reader of readers) await readAll(reader.readTable, path);
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? readers : [...readers].reverse();
    for (const reader of order) reader.seconds.push(await readAll(reader.readTable, path));
  }
  const result: Record<string, unknown> = { rows: ROWS, fileMB: size / 1e6, loadAverage };
  for (const { name, seconds } of readers) {
    result[name] = {
      medianSeconds: median(seconds),
      medianMBps: size / 1e6 / median(seconds),
      seconds,
    };
  }
  if (readers.length === 2) {
    const [current, baseline] = readers as [(typeof readers)[0], (typeof readers)[0]];
    result.currentOverBaselineSeconds = median(current.seconds) / median(baseline.seconds);
  }
  console.log(JSON.stringify(result));
} finally {
  await rm(dir, { recursive: true, force: true });
}
