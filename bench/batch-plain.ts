// bench/batch-plain: "what a user would write instead of a batch prediction job", the peer of
// bench/batch. A plain Node script: stream a local JSON Lines or CSV file, parse each line
// (JSON.parse, or split(',') against the header for CSV), take the `key` field or column off,
// batch the rows, call the model in process through `openBatchModel` (@stratus/serving, the
// code the workers run; tfjs on wasm, one thread), and write one `{"key","prediction"}` line per
// row to a local file.
//   node --import tsx --conditions=stratus-src bench/batch-plain.ts '<json options>'
// Options: { file, format: 'JSON' | 'CSV', bucketsRoot, modelUri, batchSize, out }. Prints one
// JSON line: rows, seconds (first byte read to last byte written; the model load before it is
// excluded, and printed as loadSeconds), rows/s, wall ms per phase (read: waiting for chunks;
// parse: splitting and parsing lines; predict: `predictRows`; write: JSON.stringify and the file
// writes), and featurizeShare: the part of a `predictRows` call that `prepareInstances`
// (featurizing) takes, measured after the run on the first batch.
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { selectBackend } from '@stratus/bundle';
import { openBatchModel, prepareInstances } from '@stratus/serving';
import { createLocalStorage } from '@stratus/storage';

interface PlainOptions {
  readonly file: string;
  readonly format: 'JSON' | 'CSV';
  readonly bucketsRoot: string;
  readonly modelUri: string;
  readonly batchSize: number;
  readonly out: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as PlainOptions;
for (const field of ['file', 'format', 'bucketsRoot', 'modelUri', 'batchSize', 'out'] as const) {
  if (options[field] === undefined)
    throw new Error(`bench/batch-plain: options.${field} is missing`);
}

const loadStart = performance.now();
await selectBackend('wasm');
const storage = createLocalStorage({ root: options.bucketsRoot });
const model = await openBatchModel({
  storage,
  uri: options.modelUri,
  runtime: 'tfjs',
  maxModelParams: 100_000_000,
});
const loadSeconds = (performance.now() - loadStart) / 1000;

const phases = { readMs: 0, parseMs: 0, predictMs: 0, writeMs: 0 };
const output: WriteStream = createWriteStream(options.out);
let header: string[] | undefined;
let keyIndex = -1;
let instances: unknown[] = [];
let keys: unknown[] = [];
let firstBatch: unknown[] | undefined;
let rows = 0;

const parseLine = (line: string): void => {
  if (line.trim() === '') return;
  if (options.format === 'JSON') {
    const { key, ...instance } = JSON.parse(line) as Record<string, unknown>;
    keys.push(key);
    instances.push(instance);
    return;
  }
  const fields = line.split(',');
  if (header === undefined) {
    header = fields;
    keyIndex = header.indexOf('key');
    return;
  }
  const instance: Record<string, string> = {};
  for (let i = 0; i < header.length; i += 1) {
    if (i !== keyIndex) instance[header[i] as string] = fields[i] as string;
  }
  keys.push(fields[keyIndex]);
  instances.push(instance);
};

/** Predict and write every whole batch pending (and the rest, at the end). */
const predictPending = async (last: boolean): Promise<void> => {
  const { batchSize } = options;
  let from = 0;
  while (instances.length - from >= batchSize || (last && from < instances.length)) {
    const size = Math.min(batchSize, instances.length - from);
    const batch = instances.slice(from, from + size);
    firstBatch ??= batch;
    const predictStart = performance.now();
    const outcomes = await model.predictRows(batch);
    const predictEnd = performance.now();
    let text = '';
    outcomes.forEach((outcome, i) => {
      text += `${JSON.stringify({ key: keys[from + i], ...outcome })}\n`;
    });
    if (!output.write(text)) await once(output, 'drain');
    phases.predictMs += predictEnd - predictStart;
    phases.writeMs += performance.now() - predictEnd;
    rows += size;
    from += size;
  }
  instances = instances.slice(from);
  keys = keys.slice(from);
};

const started = performance.now();
let rest = '';
let mark = started;
for await (const chunk of createReadStream(options.file, { encoding: 'utf8' })) {
  let now = performance.now();
  phases.readMs += now - mark;
  mark = now;
  const lines = (rest + (chunk as string)).split('\n');
  rest = lines.pop() ?? '';
  for (const line of lines) parseLine(line);
  now = performance.now();
  phases.parseMs += now - mark;
  await predictPending(false);
  mark = performance.now();
}
parseLine(rest);
await predictPending(true);
const writeEnd = performance.now();
output.end();
await once(output, 'finish');
phases.writeMs += performance.now() - writeEnd;
const seconds = (performance.now() - started) / 1000;

// Featurizing's share of a predictRows call, on the first batch: both timed the same number of times.
let featurizeShare: number | undefined;
if (firstBatch !== undefined) {
  const repeats = 20;
  let featurizeMs = 0;
  let predictMs = 0;
  for (let i = 0; i < repeats; i += 1) {
    const a = performance.now();
    prepareInstances(model.signature, firstBatch, (index) => `instances[${index}]`);
    const b = performance.now();
    await model.predictRows(firstBatch);
    predictMs += performance.now() - b;
    featurizeMs += b - a;
  }
  featurizeShare = Number((featurizeMs / predictMs).toFixed(3));
}
model.close();
console.log(
  JSON.stringify({
    rows,
    seconds: Number(seconds.toFixed(3)),
    rowsPerSecond: Math.round(rows / seconds),
    loadSeconds: Number(loadSeconds.toFixed(3)),
    phasesMs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)])),
    featurizeShare,
  }),
);
