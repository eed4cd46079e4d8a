import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  ListLogsResponseSchema,
  ListMetricsResponseSchema,
  fieldError,
  type MetricPoint,
} from '@stratus/spec';
import type { LogEntry, ReadStreamResult, WithId } from '@stratus/store';
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

interface StreamKind<T> {
  readonly path: 'logs' | 'metrics';
  readonly event: 'log' | 'metric';
  readonly summary: string;
  readonly schema: typeof ListLogsResponseSchema | typeof ListMetricsResponseSchema;
  read(
    deps: RouteDeps,
    request: Request,
    pageSize: number,
  ): Promise<{ body: object; result: ReadStreamResult<T> }>;
  follow(
    deps: RouteDeps,
    request: Request,
    afterId: string | undefined,
    signal: AbortSignal,
  ): AsyncIterable<WithId<T>>;
}

const readRequest = (request: Request, pageSize: number) => ({
  count: pageSize,
  ...(request.query.pageToken === undefined ? {} : { afterId: request.query.pageToken }),
  ...(request.query.trial === undefined ? {} : { trialId: request.query.trial }),
});

const followRequest = (request: Request, afterId: string | undefined, signal: AbortSignal) => ({
  signal,
  ...(afterId === undefined ? {} : { afterId }),
  ...(request.query.trial === undefined ? {} : { trialId: request.query.trial }),
});

const LOGS: StreamKind<LogEntry> = {
  path: 'logs',
  event: 'log',
  summary: 'Log entries of a job; ?follow=true streams them as Server-Sent Events',
  schema: ListLogsResponseSchema,
  read: async ({ store }, request, pageSize) => {
    const { project, jobId } = request.params;
    const result = await store.streams.readLogs(project, jobId, readRequest(request, pageSize));
    return {
      result,
      body: { entries: result.entries.map(withoutId), ...nextToken(result, pageSize) },
    };
  },
  follow: ({ store }, request, afterId, signal) =>
    store.streams.followLogs(
      request.params.project,
      request.params.jobId,
      followRequest(request, afterId, signal),
    ),
};

const METRICS: StreamKind<MetricPoint> = {
  path: 'metrics',
  event: 'metric',
  summary: 'Metric points of a job; ?follow=true streams them as Server-Sent Events',
  schema: ListMetricsResponseSchema,
  read: async ({ store }, request, pageSize) => {
    const { project, jobId } = request.params;
    const result = await store.streams.readMetrics(project, jobId, readRequest(request, pageSize));
    return {
      result,
      body: { metrics: result.entries.map(withoutId), ...nextToken(result, pageSize) },
    };
  },
  follow: ({ store }, request, afterId, signal) =>
    store.streams.followMetrics(
      request.params.project,
      request.params.jobId,
      followRequest(request, afterId, signal),
    ),
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
          return (await kind.read(deps, request, request.query.pageSize ?? DEFAULT_PAGE_SIZE)).body;
        }
        const afterId = resumeAfter(request);
        await sendEvents(
          request,
          reply,
          {
            event: kind.event,
            heartbeatMs: deps.options.sseHeartbeatMs,
            follow: (signal) => kind.follow(deps, request, afterId, signal),
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
