import type { FastifyPluginAsync } from 'fastify';
import { OperationSchema } from '@stratus/spec';
import type { RouteDeps } from '../deps.js';
import { OperationParamsSchema, ref, responses } from '../schemas.js';

/** Long-running operations (version create and delete): poll until `done`. */
export const operationsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get<{ Params: { project: string; operation: string } }>(
    '/v1/projects/:project/operations/:operation',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['models'],
        summary: 'Get a long-running operation; `error` or `response` once `done`',
        params: OperationParamsSchema,
        response: responses({ 200: ref(OperationSchema) }),
      },
    },
    async (request) => deps.store.getOperation(request.params.project, request.params.operation),
  );
};
