import type { FastifyPluginAsync } from 'fastify';
import { ListOperationsResponseSchema, ListQuerySchema, OperationSchema } from '@stratus/spec';
import type { ListPageRequest } from '@stratus/store';
import type { RouteDeps } from '../deps.js';
import { OperationParamsSchema, ProjectParamsSchema } from '../schemas.js';
import { readRoute } from './read-route.js';

/** Long-running operations (version create and delete, model delete): list, and poll until `done`. */
export const operationsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  readRoute<{ project: string }, ListPageRequest>(app, {
    url: '/v1/projects/:project/operations',
    tag: 'models',
    summary:
      "List the project's operations, newest first; `filter` on name, done, metadata.operationType, metadata.modelName, metadata.createTime",
    params: ProjectParamsSchema,
    querystring: ListQuerySchema,
    response: ListOperationsResponseSchema,
    handler: ({ params, query }) => deps.store.models.listOperations(params.project, query),
  });

  readRoute<{ project: string; operation: string }>(app, {
    url: '/v1/projects/:project/operations/:operation',
    tag: 'models',
    summary: 'Get a long-running operation; `error` or `response` once `done`',
    params: OperationParamsSchema,
    response: OperationSchema,
    handler: ({ params }) => deps.store.models.getOperation(params.project, params.operation),
  });
};
