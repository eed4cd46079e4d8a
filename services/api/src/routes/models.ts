import type { FastifyPluginAsync } from 'fastify';
import {
  ListModelsResponseSchema,
  ListQuerySchema,
  ModelInputSchema,
  ModelSchema,
  OperationSchema,
  assertValidModelInput,
  type ModelInput,
} from '@stratus/spec';
import type { ListPageRequest } from '@stratus/store';
import { ref } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import {
  ModelParamsSchema,
  PatchBodySchema,
  ProjectParamsSchema,
  UpdateMaskQuerySchema,
} from '../schemas.js';
import { patchRequest, type UpdateMaskQuery } from './patch-request.js';
import { readRoute } from './read-route.js';
import { writeRoute } from './write-route.js';

interface ProjectParams {
  project: string;
}
interface ModelParams extends ProjectParams {
  model: string;
}

/** Models: create, list, get, patch, delete (refused while the model has versions). */
export const modelsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store } = deps;

  writeRoute<ProjectParams, ModelInput>(app, deps, {
    method: 'POST',
    url: '/v1/projects/:project/models',
    tag: 'models',
    summary: 'Create a model (a named container of versions); 409 if the name is taken',
    params: ProjectParamsSchema,
    body: ref(ModelInputSchema),
    assertBody: assertValidModelInput,
    response: ref(ModelSchema),
    handler: async (request) => store.models.create(request.params.project, request.body),
  });

  readRoute<ProjectParams, ListPageRequest>(app, {
    url: '/v1/projects/:project/models',
    tag: 'models',
    summary:
      'List models in name order, each with its default version; `filter` on name, description, createTime, labels',
    params: ProjectParamsSchema,
    querystring: ListQuerySchema,
    response: ListModelsResponseSchema,
    handler: ({ params, query }) => store.models.list(params.project, query),
  });

  readRoute<ModelParams>(app, {
    url: '/v1/projects/:project/models/:model',
    tag: 'models',
    summary: 'Get a model, with its default version',
    params: ModelParamsSchema,
    response: ModelSchema,
    handler: ({ params }) => store.models.get(params.project, params.model),
  });

  writeRoute<ModelParams, unknown, UpdateMaskQuery>(app, deps, {
    method: 'PATCH',
    url: '/v1/projects/:project/models/:model',
    tag: 'models',
    summary:
      'Change a model (updateMask: description, labels); returns a finished UPDATE_MODEL operation',
    params: ModelParamsSchema,
    querystring: UpdateMaskQuerySchema,
    body: PatchBodySchema,
    response: ref(OperationSchema),
    handler: async ({ params, query, body }) =>
      store.models.patch(params.project, params.model, patchRequest('model', query, body)),
  });

  writeRoute<ModelParams>(app, deps, {
    method: 'DELETE',
    url: '/v1/projects/:project/models/:model',
    tag: 'models',
    summary: 'Delete a model that has no versions; returns a finished operation',
    params: ModelParamsSchema,
    response: ref(OperationSchema),
    handler: async (request) => store.models.delete(request.params.project, request.params.model),
  });
};
