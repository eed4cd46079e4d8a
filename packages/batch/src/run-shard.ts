import {
  shardOutputNames,
  type PredictionOutputFormat,
  type PredictionShard,
  type ShardCounts,
} from '@stratus/spec';
import { parseStorageUri, type Storage } from '@stratus/storage';
import type { BatchDataFormat } from './data-format.js';
import { isBlankLine, LineSplitter } from './line-splitter.js';
import { outputUri } from './output-state.js';
import { errorRecord, recordFormat, sourceOpening } from './output-records.js';
import type { PredictRows } from './row-outcome.js';
import { NO_KEY, rowParser, type ParsedRow, type RowKey } from './row-parser.js';
import { ShardOutput } from './shard-output.js';

export interface RunShardOptions {
  readonly dataFormat: BatchDataFormat;
  /** DATA_FORMAT_UNSPECIFIED is JSON. @defaultValue 'JSON' */
  readonly outputDataFormat?: PredictionOutputFormat;
  /** `gs://` folder the shard's results and errors objects are written to. */
  readonly outputPath: string;
  /** The JSON field or CSV column whose value is the row's key. @defaultValue 'key' */
  readonly keyField?: string;
  /** Instances per `predict` call. */
  readonly batchSize: number;
  /** Checked between batches: once aborted, the shard writes nothing and throws an AbortError. */
  readonly signal?: AbortSignal;
  /** Rows done (results plus errors) so far in this shard, after each batch. */
  readonly onProgress?: (rowsDone: number) => void;
  /**
   * Where the shard's wall time goes (bench/batch): each phase's milliseconds are added to this
   * object as the shard runs. Off when absent (two clock reads per chunk and per batch when on).
   */
  readonly timings?: ShardTimings;
}

/** Wall milliseconds of a shard's phases, summed over its chunks and batches. */
export interface ShardTimings {
  /** Waiting for the next chunk of the input object. */
  readMs: number;
  /** Splitting chunks into lines and parsing each line into an instance and key. */
  parseMs: number;
  /** The `predict` calls (featurizing, the model, formatting its outputs). */
  predictMs: number;
  /** Serializing the records and appending them to the output objects. */
  writeMs: number;
}

/** What a finished shard wrote: one record per row, in one of the two objects (`@stratus/spec`). */
export type { ShardCounts };

/** Error records held back between batches before they are written anyway. */
const ERRORS_FLUSH_CHARS = 1 << 16;

/** The error a shard stopped by its signal throws; `name` is 'AbortError'. */
const abortError = (signal: AbortSignal): Error => {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  const error = new Error('The shard was aborted', { cause: reason });
  error.name = 'AbortError';
  return error;
};

/** A function, not an inline check: TypeScript would keep an earlier check's narrowing across awaits. */
const isAborted = (signal: AbortSignal | undefined): signal is AbortSignal =>
  signal?.aborted === true;

const asError = (value: unknown): Error =>
  value instanceof Error ? value : new Error(String(value));

/**
 * Run one shard: read its lines, predict them in batches of `batchSize`, and
 * write `prediction.results-…` and `prediction.errors_stats-…` (see
 * output-records.ts for the record shapes). Each non-blank line gives exactly
 * one record: a result, or an error for a line that does not parse, a CSV
 * row of the wrong width, or the model's error for that row. The objects
 * replace any earlier run's; if the shard fails or is aborted, neither object
 * changes. Throws when the model rejects a batch or returns the wrong number
 * of outcomes, and when the range no longer holds the rows the plan counted.
 */
export const runShard = async (
  storage: Storage,
  shard: PredictionShard,
  options: RunShardOptions,
  predict: PredictRows,
): Promise<ShardCounts> => {
  const { signal, onProgress, timings } = options;
  if (!(Number.isInteger(options.batchSize) && options.batchSize > 0)) {
    throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
  }
  if (isAborted(signal)) throw abortError(signal);
  const parse = rowParser(options.dataFormat, options.keyField ?? 'key', shard.header);
  const outputFormat = options.outputDataFormat === 'CSV' ? 'CSV' : 'JSON';
  const format = recordFormat(outputFormat, shard.uri);
  const opening = sourceOpening(shard.uri);
  const names = shardOutputNames(shard.index, shard.count);
  const uris = {
    results: outputUri(options.outputPath, names.results),
    errors: outputUri(options.outputPath, names.errors),
  };
  // A bad output path fails now, not after the whole shard went through the model.
  parseStorageUri(uris.results);
  const output = new ShardOutput(
    storage,
    uris,
    outputFormat === 'CSV' ? 'text/csv' : 'application/x-ndjson',
  );

  let instances: unknown[] = [];
  let keys: RowKey[] = [];
  let lines: number[] = [];
  let errorsText = '';
  let predictionCount = 0;
  let errorCount = 0;
  let started = false;
  const row: ParsedRow = { instance: undefined, key: NO_KEY, error: undefined };

  const onLine = (text: string, line: number): void => {
    if (isBlankLine(text)) return;
    parse(text, row);
    if (row.error !== undefined) {
      errorsText += errorRecord(opening, row.key, line, row.error);
      errorCount += 1;
      return;
    }
    instances.push(row.instance);
    keys.push(row.key);
    lines.push(line);
  };

  /** Predict pending rows `[from, from + size)` and write their records. */
  const predictBatch = async (from: number, size: number): Promise<void> => {
    if (isAborted(signal)) throw abortError(signal);
    const batch =
      from === 0 && size === instances.length ? instances : instances.slice(from, from + size);
    const predictStart = timings === undefined ? 0 : performance.now();
    const outcomes = await predict(batch);
    const predictEnd = timings === undefined ? 0 : performance.now();
    if (!Array.isArray(outcomes) || outcomes.length !== size) {
      const got = Array.isArray(outcomes) ? `${outcomes.length} outcomes` : 'no array';
      throw new Error(`the model returned ${got} for a batch of ${size} instances`);
    }
    let resultsText = '';
    for (let i = 0; i < size; i += 1) {
      const outcome = outcomes[i];
      const key = keys[from + i];
      const line = lines[from + i] as number;
      const problem =
        outcome === undefined || !('prediction' in outcome)
          ? (outcome?.error ?? 'the model returned no outcome for this row')
          : format.misfit(outcome.prediction);
      if (problem !== undefined) {
        errorsText += errorRecord(opening, key, line, problem);
        errorCount += 1;
        continue;
      }
      const { prediction } = outcome as { readonly prediction: unknown };
      if (!started) {
        started = true;
        resultsText += format.head(prediction);
      }
      resultsText += format.result(key, line, prediction);
      predictionCount += 1;
    }
    await flush(resultsText);
    if (timings !== undefined) {
      timings.predictMs += predictEnd - predictStart;
      timings.writeMs += performance.now() - predictEnd;
    }
  };

  /** Predict whole batches of the pending rows (and, at the end, the rest), then drop them. */
  const predictPending = async (last: boolean): Promise<void> => {
    if (isAborted(signal)) throw abortError(signal);
    const { batchSize } = options;
    let from = 0;
    for (; instances.length - from >= batchSize; from += batchSize) {
      await predictBatch(from, batchSize);
    }
    if (last && from < instances.length) {
      await predictBatch(from, instances.length - from);
      from = instances.length;
    }
    // Lines that parse to nothing but errors must not pile up in memory either.
    if (errorsText.length >= ERRORS_FLUSH_CHARS) await flush('');
    if (from === 0) return;
    if (from === instances.length) {
      instances = [];
      keys = [];
      lines = [];
    } else {
      instances = instances.slice(from);
      keys = keys.slice(from);
      lines = lines.slice(from);
    }
  };

  const flush = async (resultsText: string): Promise<void> => {
    const pendingErrors = errorsText;
    errorsText = '';
    await output.append(resultsText, pendingErrors);
    onProgress?.(predictionCount + errorCount);
  };

  try {
    const splitter = new LineSplitter(shard.firstLine);
    const source = storage.createReadStream(shard.uri, {
      start: shard.start,
      end: shard.end - 1,
      ...(signal === undefined ? {} : { signal }),
    });
    let mark = timings === undefined ? 0 : performance.now();
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (timings !== undefined) {
        const now = performance.now();
        timings.readMs += now - mark;
        mark = now;
      }
      splitter.push(chunk, onLine);
      if (timings !== undefined) timings.parseMs += performance.now() - mark;
      await predictPending(false);
      if (timings !== undefined) mark = performance.now();
    }
    splitter.end(onLine);
    await predictPending(true);
    if (errorsText.length > 0) await flush('');
    if (isAborted(signal)) throw abortError(signal);
    const rows = predictionCount + errorCount;
    if (rows !== shard.rows) {
      throw new Error(
        `${shard.uri} bytes [${shard.start}, ${shard.end}) hold ${rows} rows where the plan counted ${shard.rows}: the object changed after the job was planned`,
      );
    }
    await output.commit();
  } catch (caught) {
    const error = isAborted(signal) ? abortError(signal) : asError(caught);
    await output.discard(error);
    throw error;
  }
  return { predictionCount, errorCount };
};
