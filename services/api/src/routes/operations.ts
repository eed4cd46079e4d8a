import type { FastifyPluginAsync } from 'fastify';
import {
  ListOperationsResponseSchema,
  ListQuerySchema,
  OPERATION_ID_PATTERN,
  OperationSchema,
} from '@stratus/spec';
import type { ListPageRequest } from '@stratus/store';
import type { RouteDeps } from '../deps.js';
import { EmptySchema, OperationParamsSchema, ProjectParamsSchema } from '../schemas.js';
import { readRoute } from './read-route.js';
import { writeRoute } from './write-route.js';

/** `:cancel` follows a regex operation id (as jobs' `:cancel` does). */
const CANCEL_PATH = `/v1/projects/:project/operations/:operation(${OPERATION_ID_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '')})::cancel`;

/** Long-running operations (version create, update and delete, model delete): list, poll until `done`, cancel a deploy. */
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

  writeRoute<{ project: string; operation: string }>(app, deps, {
    method: 'POST',
    url: CANCEL_PATH,
    tag: 'models',
    summary:
      'Cancel an operation: a deploy not yet done ends (version FAILED, error CANCELLED); a no-op once done',
    params: OperationParamsSchema,
    body: EmptySchema,
    response: EmptySchema,
    handler: async ({ params }) => {
      await deps.store.models.cancelOperation(params.project, params.operation);
      return {};
    },
  });
};
