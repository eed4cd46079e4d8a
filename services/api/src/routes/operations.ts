import type { FastifyPluginAsync } from 'fastify';
import { OPERATION_ID_PATTERN, OperationSchema } from '@stratus/spec';
import type { RouteDeps } from '../deps.js';
import { EmptySchema, OperationParamsSchema } from '../schemas.js';
import { readRoute } from './read-route.js';
import { writeRoute } from './write-route.js';

/** `:cancel` follows a regex operation id (as jobs' `:cancel` does). */
const CANCEL_PATH = `/v1/projects/:project/operations/:operation(${OPERATION_ID_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '')})::cancel`;

/** Long-running operations (version create, update and delete): poll until `done`; cancel a deploy. */
export const operationsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
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
