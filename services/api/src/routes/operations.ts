import type { FastifyPluginAsync } from 'fastify';
import { OperationSchema } from '@stratus/spec';
import type { RouteDeps } from '../deps.js';
import { OperationParamsSchema } from '../schemas.js';
import { readRoute } from './read-route.js';

/** Long-running operations (version create and delete): poll until `done`. */
export const operationsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  readRoute<{ project: string; operation: string }>(app, {
    url: '/v1/projects/:project/operations/:operation',
    tag: 'models',
    summary: 'Get a long-running operation; `error` or `response` once `done`',
    params: OperationParamsSchema,
    response: OperationSchema,
    handler: ({ params }) => deps.store.models.getOperation(params.project, params.operation),
  });
};
