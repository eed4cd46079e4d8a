import type { FastifyPluginAsync } from 'fastify';
import { ListWorkersResponseSchema, type ListWorkersResponse } from '@stratus/spec';
import type { RouteDeps } from '../deps.js';
import { queueDepths } from '../queue-depths.js';
import { ref, responses } from '../schemas.js';

/** Live workers (their heartbeats) and the depth of each trial queue; any valid token. */
export const workersRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get(
    '/v1/workers',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['workers'],
        summary: 'Live workers (backend, GPU, load, busy trials) and queue depths',
        response: responses({ 200: ref(ListWorkersResponseSchema) }),
      },
    },
    async (): Promise<ListWorkersResponse> => {
      const [workers, queues] = await Promise.all([
        deps.store.listWorkers(),
        queueDepths(deps.queues),
      ]);
      return {
        workers: workers.map((worker) => ({ ...worker, queues: [...worker.queues] })),
        queues,
      };
    },
  );
};
