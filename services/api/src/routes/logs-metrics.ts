import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  ListLogsResponseSchema,
  ListMetricsResponseSchema,
  fieldError,
  type MetricPoint,
} from '@stratus/spec';
import type {
  FollowRequest,
  LogEntry,
  ReadStreamRequest,
  ReadStreamResult,
  StreamArea,
  WithId,
} from '@stratus/store';
import { ref, responses } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import { JobParamsSchema, STREAM_ID_PATTERN, StreamQuerySchema } from '../schemas.js';
import { sendEvents, type OpenStreams } from '../sse.js';

interface JobParams {
  project: string;
  jobId: string;
}
interface StreamQuery {
  trial?: string;
  pageSize?: number;
  pageToken?: string;
  follow?: boolean;
}
type Request = FastifyRequest<{ Params: JobParams; Querystring: StreamQuery }>;

const DEFAULT_PAGE_SIZE = 1000;

/** Where to resume: the Last-Event-ID header of a reconnecting EventSource, else `pageToken`. */
const resumeAfter = (request: Request): string | undefined => {
  const header = request.headers['last-event-id'];
  if (header === undefined) return request.query.pageToken;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (!STREAM_ID_PATTERN.test(value)) {
    throw fieldError('INVALID_ARGUMENT', 'Last-Event-ID', 'must look like 1700000000000-0', {
      detail: `Last-Event-ID "${value}" is not an event id this server sent`,
    });
  }
  return value;
};

/** `nextPageToken` when the page is full (more may follow), else none. */
const nextToken = <T>(result: ReadStreamResult<T>, pageSize: number): { nextPageToken?: string } =>
  result.entries.length >= pageSize && result.end === undefined && result.lastId !== undefined
    ? { nextPageToken: result.lastId }
    : {};

const withoutId = <T extends { readonly id: string }>({ id: _id, ...rest }: T): Omit<T, 'id'> =>
  rest;

/** A job stream the routes serve: where it is, and how the store reads and follows it. */
interface StreamKind<T> {
  readonly path: 'logs' | 'metrics';
  readonly event: 'log' | 'metric';
  readonly summary: string;
  readonly schema: typeof ListLogsResponseSchema | typeof ListMetricsResponseSchema;
  /** The field of a page's body that holds the entries. */
  readonly field: 'entries' | 'metrics';
  read(
    streams: StreamArea,
    project: string,
    jobId: string,
    request: ReadStreamRequest,
  ): Promise<ReadStreamResult<T>>;
  follow(
    streams: StreamArea,
    project: string,
    jobId: string,
    request: FollowRequest,
  ): AsyncIterable<WithId<T>>;
}

const readRequest = (request: Request, pageSize: number): ReadStreamRequest => ({
  count: pageSize,
  ...(request.query.pageToken === undefined ? {} : { afterId: request.query.pageToken }),
  ...(request.query.trial === undefined ? {} : { trialId: request.query.trial }),
});

const followRequest = (
  request: Request,
  afterId: string | undefined,
  signal: AbortSignal,
): FollowRequest => ({
  signal,
  ...(afterId === undefined ? {} : { afterId }),
  ...(request.query.trial === undefined ? {} : { trialId: request.query.trial }),
});

const LOGS: StreamKind<LogEntry> = {
  path: 'logs',
  event: 'log',
  summary: 'Log entries of a job; ?follow=true streams them as Server-Sent Events',
  schema: ListLogsResponseSchema,
  field: 'entries',
  read: (streams, project, jobId, request) => streams.readLogs(project, jobId, request),
  follow: (streams, project, jobId, request) => streams.followLogs(project, jobId, request),
};

const METRICS: StreamKind<MetricPoint> = {
  path: 'metrics',
  event: 'metric',
  summary: 'Metric points of a job; ?follow=true streams them as Server-Sent Events',
  schema: ListMetricsResponseSchema,
  field: 'metrics',
  read: (streams, project, jobId, request) => streams.readMetrics(project, jobId, request),
  follow: (streams, project, jobId, request) => streams.followMetrics(project, jobId, request),
};

/** Job logs and metrics: pages by stream id, or a live SSE stream that ends with the job. */
export const logsMetricsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const open: OpenStreams = new Set();
  app.addHook('preClose', () => {
    for (const controller of open) controller.abort();
  });

  const register = <T extends object>(kind: StreamKind<T>): void => {
    app.get<{ Params: JobParams; Querystring: StreamQuery }>(
      `/v1/projects/:project/jobs/:jobId/${kind.path}`,
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['logs'],
          summary: kind.summary,
          params: JobParamsSchema,
          querystring: StreamQuerySchema,
          response: responses({
            200: {
              description: `${ref(kind.schema).$ref.replace('#', '')}, or text/event-stream with follow=true`,
              ...ref(kind.schema),
            },
          }),
        },
      },
      async (request, reply: FastifyReply) => {
        const { project, jobId } = request.params;
        const job = await deps.store.jobs.get(project, jobId);
        if (request.query.follow !== true) {
          const pageSize = request.query.pageSize ?? DEFAULT_PAGE_SIZE;
          const read = readRequest(request, pageSize);
          const result = await kind.read(deps.store.streams, project, jobId, read);
          return { [kind.field]: result.entries.map(withoutId), ...nextToken(result, pageSize) };
        }
        const afterId = resumeAfter(request);
        await sendEvents(
          request,
          reply,
          {
            event: kind.event,
            heartbeatMs: deps.options.sseHeartbeatMs,
            follow: (signal) =>
              kind.follow(
                deps.store.streams,
                project,
                jobId,
                followRequest(request, afterId, signal),
              ),
            end: async () => {
              const final = await deps.store.jobs.find(project, jobId);
              return { state: final?.state ?? job.state };
            },
          },
          open,
        );
        return reply;
      },
    );
  };
  register(LOGS);
  register(METRICS);
};
