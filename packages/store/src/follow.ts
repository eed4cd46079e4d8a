import { StratusError, isTerminalState, type MetricPoint } from '@stratus/spec';
import { jobName, type StoreContext } from './context.js';
import { decodeJobState } from './job-codec.js';
import { logRedisErrors } from './redis-errors.js';
import { logCodec, metricCodec, type LogEntry, type StreamCodec } from './stream-codecs.js';
import { assertStreamId, collectEntries, streamKey, type WithId } from './streams.js';

export interface FollowRequest {
  /** Start after this stream id (an SSE client's Last-Event-ID). @defaultValue from the start */
  readonly afterId?: string;
  readonly trialId?: string;
  /** Stops the follower (e.g. the HTTP client went away); closes its connection at once. */
  readonly signal?: AbortSignal;
}

type RawReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

const FOLLOW_BATCH = 500;

/**
 * Yield a job's stream entries, then new ones as they arrive, and return when
 * the job has finished. XREAD BLOCK runs on a dedicated connection (a blocked
 * connection can serve nothing else). Ending is guaranteed twice over: the
 * transition to a final state appends an end marker that wakes the XREAD, and
 * every `followBlockMs` without news the job's state is checked, so a
 * follower never hangs after the job ends even if the marker was trimmed or
 * lies before `afterId`.
 */
export async function* followStream<T>(
  ctx: StoreContext,
  project: string,
  jobId: string,
  key: string,
  codec: StreamCodec<T>,
  request: FollowRequest,
): AsyncGenerator<WithId<T>, void, undefined> {
  const metaKey = ctx.keys.job(project, jobId).meta;
  const readState = async (): Promise<boolean> => {
    const state = await ctx.redis.hget(metaKey, 'state');
    if (state === null) throw new StratusError('JOB_NOT_FOUND', { name: jobName(project, jobId) });
    return isTerminalState(decodeJobState(state));
  };
  let cursor = request.afterId === undefined ? '0-0' : assertStreamId(request.afterId);
  let finished = await readState();
  const { signal } = request;
  // A function, not a property read, so TypeScript does not narrow it across awaits.
  const aborted = (): boolean => signal?.aborted === true;
  if (aborted()) return;
  const connection = ctx.redis.duplicate({ connectionName: `${ctx.keys.prefix}-follow` });
  logRedisErrors(connection, ctx.logger, 'follow');
  const abort = (): void => connection.disconnect();
  signal?.addEventListener('abort', abort, { once: true });
  try {
    while (!aborted()) {
      let reply: RawReply;
      try {
        reply = (await (finished
          ? connection.xread('COUNT', FOLLOW_BATCH, 'STREAMS', key, cursor)
          : connection.xread(
              'COUNT',
              FOLLOW_BATCH,
              'BLOCK',
              ctx.limits.followBlockMs,
              'STREAMS',
              key,
              cursor,
            ))) as RawReply;
      } catch (error) {
        if (aborted()) return;
        throw error;
      }
      const raw = reply?.[0]?.[1] ?? [];
      if (raw.length === 0) {
        if (finished) return;
        finished = await readState();
        continue;
      }
      const batch: WithId<T>[] = [];
      const seen = collectEntries(raw, codec, request.trialId, batch, Number.POSITIVE_INFINITY);
      cursor = seen.lastId ?? cursor;
      for (const entry of batch) yield entry;
      if (seen.end !== undefined) return;
    }
  } finally {
    signal?.removeEventListener('abort', abort);
    connection.disconnect();
  }
}

/** Follow a job's log entries until it ends (see {@link followStream}). */
export const followLogs = (
  ctx: StoreContext,
  project: string,
  jobId: string,
  request: FollowRequest = {},
): AsyncGenerator<WithId<LogEntry>, void, undefined> =>
  followStream(ctx, project, jobId, streamKey(ctx, project, jobId, 'logs'), logCodec, request);

/** Follow a job's metric points until it ends (see {@link followStream}). */
export const followMetrics = (
  ctx: StoreContext,
  project: string,
  jobId: string,
  request: FollowRequest = {},
): AsyncGenerator<WithId<MetricPoint>, void, undefined> =>
  followStream(
    ctx,
    project,
    jobId,
    streamKey(ctx, project, jobId, 'metrics'),
    metricCodec,
    request,
  );
