import { Readable } from 'node:stream';
import type { Storage } from '@stratus/storage';
import { tf } from '@stratus/bundle';
import { mulberry32 } from '../training/seeded-random.js';
import type { DatasetCache } from './dataset-cache.js';
import { prepareData } from './prepare-data.js';

const CITIES = ['Paris', 'Lyon', 'Nice', 'Lille', 'Nantes', 'Brest'];

/** `rows` generated rows (4 numeric columns with some missing, a city, a 3-class label) as CSV chunks. */
export function* generatedCsv(rows: number, seed = 1): Generator<string> {
  const random = mulberry32(seed);
  yield 'a,b,c,d,city,label\n';
  const lines: string[] = [];
  for (let i = 0; i < rows; i += 1) {
    const a = random() * 10;
    const b = random() * 5 - 2;
    const c = random() < 0.01 ? 'NA' : (random() * 100).toFixed(2);
    const d = random() < 0.02 ? '' : String(Math.floor(random() * 1000));
    const city = random() < 0.03 ? '' : CITIES[Math.floor(random() * CITIES.length)];
    const label = random() < 0.001 ? '' : a + b < 4 ? 'low' : a + b < 8 ? 'mid' : 'high';
    lines.push(`${a.toFixed(4)},${b.toFixed(4)},${c},${d},"${city}",${label}`);
    if (lines.length === 10_000) {
      yield `${lines.join('\n')}\n`;
      lines.length = 0;
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

/** What streaming a large CSV through pass 1 and pass 2 cost. */
export interface StreamMeasurement {
  readonly rows: number;
  readonly fileBytes: number;
  readonly trainRows: number;
  readonly validationRows: number;
  readonly missingLabel: number;
  readonly examplesYielded: number;
  readonly batches: number;
  readonly pass1Seconds: number;
  readonly pass2Seconds: number;
  readonly baselineRssMiB: number;
  readonly peakRssGrowthMiB: number;
  /** Peak V8 heap in use, for telling live data from memory the allocator kept. */
  readonly peakHeapUsedMiB: number;
}

/** Write a generated CSV to `uri`, then prepare it streamed and read one epoch, sampling RSS. */
export async function measureLargeCsv(
  storage: Storage,
  cache: DatasetCache,
  uri: string,
  rows: number,
): Promise<StreamMeasurement> {
  const written = await storage.writeStream(
    uri,
    Readable.from(generatedCsv(rows), { objectMode: false }),
  );
  // Copy into the cache before measuring: the download is not what this measures.
  await cache.fetch(storage, uri);
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  let peakHeap = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
  };
  const sampler = setInterval(sample, 20);
  try {
    const t0 = performance.now();
    const data = await prepareData(
      { trainingData: uri, labelColumn: 'label', task: 'classification', inMemoryMaxBytes: 0 },
      { storage, cache },
    );
    const t1 = performance.now();
    let examples = 0;
    let batches = 0;
    await data.train.batches(1024, { shuffle: true, seed: 1 }).forEachAsync(({ xs, ys }) => {
      examples += xs.shape[0] ?? 0;
      batches += 1;
      tf.dispose([xs, ys]);
      sample();
    });
    const t2 = performance.now();
    return {
      rows,
      fileBytes: written.size,
      trainRows: data.trainRows,
      validationRows: data.validationRows,
      missingLabel: data.droppedRows.missingLabel,
      examplesYielded: examples,
      batches,
      pass1Seconds: (t1 - t0) / 1000,
      pass2Seconds: (t2 - t1) / 1000,
      baselineRssMiB: baseline / 2 ** 20,
      peakRssGrowthMiB: (peak - baseline) / 2 ** 20,
      peakHeapUsedMiB: peakHeap / 2 ** 20,
    };
  } finally {
    clearInterval(sampler);
  }
}
