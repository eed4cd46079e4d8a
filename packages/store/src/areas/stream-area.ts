import type { MetricPoint } from '@stratus/spec';
import type { StoreContext } from '../context.js';
import { followLogs, followMetrics, type FollowRequest } from '../follow.js';
import type { LogEntry } from '../stream-codecs.js';
import {
  appendLogs,
  appendMetrics,
  readLogs,
  readMetrics,
  type ReadStreamRequest,
  type ReadStreamResult,
  type WithId,
} from '../streams.js';

/** A job's log and metric streams: appended by workers, read in pages or followed live. */
export interface StreamArea {
  appendLog(project: string, jobId: string, entry: LogEntry): Promise<string>;
  appendLogs(project: string, jobId: string, entries: readonly LogEntry[]): Promise<string[]>;
  appendMetrics(project: string, jobId: string, points: readonly MetricPoint[]): Promise<string[]>;
  readLogs(
    project: string,
    jobId: string,
    request?: ReadStreamRequest,
  ): Promise<ReadStreamResult<LogEntry>>;
  readMetrics(
    project: string,
    jobId: string,
    request?: ReadStreamRequest,
  ): Promise<ReadStreamResult<MetricPoint>>;
  followLogs(
    project: string,
    jobId: string,
    request?: FollowRequest,
  ): AsyncGenerator<WithId<LogEntry>, void, undefined>;
  followMetrics(
    project: string,
    jobId: string,
    request?: FollowRequest,
  ): AsyncGenerator<WithId<MetricPoint>, void, undefined>;
}

export const createStreamArea = (ctx: StoreContext): StreamArea => ({
  appendLog: async (project, jobId, entry) =>
    (await appendLogs(ctx, project, jobId, [entry]))[0] ?? '',
  appendLogs: appendLogs.bind(undefined, ctx),
  appendMetrics: appendMetrics.bind(undefined, ctx),
  readLogs: readLogs.bind(undefined, ctx),
  readMetrics: readMetrics.bind(undefined, ctx),
  followLogs: followLogs.bind(undefined, ctx),
  followMetrics: followMetrics.bind(undefined, ctx),
});
