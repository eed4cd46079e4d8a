import { StratusError, type JobState, type MetricPoint } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { decodeJobState } from './job-codec.js';
import { execPipeline } from './redis-util.js';
import {
  END_FIELD,
  fieldsToRecord,
  logCodec,
  metricCodec,
  type LogEntry,
  type StreamCodec,
} from './stream-codecs.js';

/** An entry with its stream id (the API's SSE event id, to resume after). */
export type WithId<T> = T & { readonly id: string };

export interface ReadStreamRequest {
  /** Return entries after this stream id. @defaultValue from the start */
  readonly afterId?: string;
  /** Only this trial's entries. */
  readonly trialId?: string;
  /** At most this many entries. @defaultValue 1000 */
  readonly count?: number;
}

export interface ReadStreamResult<T> {
  readonly entries: WithId<T>[];
  /** The last stream id examined (resume after it, even when filtered entries were skipped). */
  readonly lastId?: string;
  /** Present when the job's end marker was reached: the final state. */
  readonly end?: { readonly id: string; readonly state: JobState };
}

/** Which stream of a job. */
export type StreamKind = 'logs' | 'metrics';

const STREAM_ID = /^[0-9]{1,20}(-[0-9]{1,20})?$/;
export const DEFAULT_READ_COUNT = 1000;

/** Throw INVALID_ARGUMENT unless `id` looks like a stream id (`1700000000000-0`). */
export const assertStreamId = (id: string): string => {
  if (!STREAM_ID.test(id)) {
    throw new StratusError('INVALID_ARGUMENT', {
      detail: `stream id "${id}" must look like 1700000000000-0`,
    });
  }
  return id;
};

export const streamKey = (
  ctx: StoreContext,
  project: string,
  jobId: string,
  kind: StreamKind,
): string => ctx.keys.job(project, jobId)[kind];

type RawEntry = [id: string, fields: string[]];

/**
 * Fold raw stream entries into `out`, stopping at the end marker.
 * Returns the last id seen and the end marker if met.
 */
export const collectEntries = <T>(
  raw: readonly RawEntry[],
  codec: StreamCodec<T>,
  trialId: string | undefined,
  out: WithId<T>[],
  limit: number,
): { lastId?: string; end?: { id: string; state: JobState } } => {
  let lastId: string | undefined;
  for (const [id, fields] of raw) {
    if (out.length >= limit) break;
    lastId = id;
    const record = fieldsToRecord(fields);
    const endState = record[END_FIELD];
    if (endState !== undefined) return { lastId, end: { id, state: decodeJobState(endState) } };
    const entry = codec.decode(record);
    if (trialId === undefined || codec.trialId(entry) === trialId) out.push({ ...entry, id });
  }
  return lastId === undefined ? {} : { lastId };
};

const append = async <T>(
  ctx: StoreContext,
  key: string,
  codec: StreamCodec<T>,
  maxLen: number,
  entries: readonly T[],
): Promise<string[]> => {
  if (entries.length === 0) return [];
  const encoded = entries.map((entry) => codec.encode(entry));
  const pipeline = ctx.redis.pipeline();
  for (const fields of encoded) pipeline.xadd(key, 'MAXLEN', '~', maxLen, '*', ...fields);
  return (await execPipeline(pipeline)).map(String);
};

/** Append log lines in one round trip; returns their stream ids. */
export const appendLogs = (
  ctx: StoreContext,
  project: string,
  jobId: string,
  entries: readonly LogEntry[],
): Promise<string[]> =>
  append(ctx, streamKey(ctx, project, jobId, 'logs'), logCodec, ctx.limits.maxLogEntries, entries);

/** Append metric points in one round trip; returns their stream ids. */
export const appendMetrics = (
  ctx: StoreContext,
  project: string,
  jobId: string,
  points: readonly MetricPoint[],
): Promise<string[]> =>
  append(
    ctx,
    streamKey(ctx, project, jobId, 'metrics'),
    metricCodec,
    ctx.limits.maxMetricPoints,
    points,
  );

/**
 * Read entries after `afterId`. A trial filter is applied here (streams have
 * none), scanning forward in chunks until `count` entries match or the stream ends.
 */
export const readStream = async <T>(
  ctx: StoreContext,
  key: string,
  codec: StreamCodec<T>,
  request: ReadStreamRequest,
): Promise<ReadStreamResult<T>> => {
  const count = request.count ?? DEFAULT_READ_COUNT;
  if (!Number.isInteger(count) || count < 1) {
    throw new StratusError('INVALID_ARGUMENT', { detail: 'count must be a positive integer' });
  }
  const entries: WithId<T>[] = [];
  let cursor = request.afterId === undefined ? undefined : assertStreamId(request.afterId);
  let lastId: string | undefined;
  for (;;) {
    const chunk = Math.max(count - entries.length, 100);
    const raw = (await ctx.redis.xrange(
      key,
      cursor === undefined ? '-' : `(${cursor}`,
      '+',
      'COUNT',
      chunk,
    )) as RawEntry[];
    const seen = collectEntries(raw, codec, request.trialId, entries, count);
    lastId = seen.lastId ?? lastId;
    if (seen.end !== undefined) return { entries, lastId, end: seen.end };
    if (raw.length < chunk || entries.length >= count) break;
    cursor = lastId;
  }
  return lastId === undefined ? { entries } : { entries, lastId };
};

/** Read a job's log entries (see {@link readStream}). */
export const readLogs = (
  ctx: StoreContext,
  project: string,
  jobId: string,
  request: ReadStreamRequest = {},
): Promise<ReadStreamResult<LogEntry>> =>
  readStream(ctx, streamKey(ctx, project, jobId, 'logs'), logCodec, request);

/** Read a job's metric points (see {@link readStream}). */
export const readMetrics = (
  ctx: StoreContext,
  project: string,
  jobId: string,
  request: ReadStreamRequest = {},
): Promise<ReadStreamResult<MetricPoint>> =>
  readStream(ctx, streamKey(ctx, project, jobId, 'metrics'), metricCodec, request);
