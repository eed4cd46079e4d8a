import type { FastifyPluginAsync } from 'fastify';
import { ListWorkersResponseSchema, type ListWorkersResponse, type Worker } from '@stratus/spec';
import type { TokenIdentity, WorkerStatus } from '@stratus/store';
import { ref, responses } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import { queueDepths } from '../queue-depths.js';

/**
 * What one caller sees of a worker: an admin token (project `*`) everything;
 * any other token only its own project's busy trial ids and no process id, so
 * one tenant learns neither another's trials nor a PID to signal.
 */
export const workerView = (worker: WorkerStatus, identity: TokenIdentity | undefined): Worker => {
  const { pid, busyTrialIds = [], ...rest } = worker;
  const admin = identity?.project === '*';
  const visible = admin
    ? busyTrialIds
    : busyTrialIds.filter((id) => identity !== undefined && id.startsWith(`${identity.project}/`));
  return {
    ...rest,
    queues: [...worker.queues],
    busyTrialIds: [...visible],
    ...(admin ? { pid } : {}),
  };
};

/** Live workers (their heartbeats) and the depth of each trial queue; any valid token. */
export const workersRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/workers',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['workers'],
        summary: 'Live workers (backend, GPU, load, busy trials) and queue depths',
        description:
          'Admin tokens see every busy trial id and each worker’s pid; other tokens see only ' +
          'their own project’s trial ids and no pid.',
        response: responses({ 200: ref(ListWorkersResponseSchema) }),
      },
    },
    async (request): Promise<ListWorkersResponse> => {
      const [workers, queues] = await Promise.all([
        deps.store.workers.list(),
        queueDepths(deps.queues),
      ]);
      return { workers: workers.map((w) => workerView(w, request.identity)), queues };
    },
  );
};
