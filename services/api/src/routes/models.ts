import type { FastifyPluginAsync } from 'fastify';
import {
  ListModelsResponseSchema,
  ModelInputSchema,
  ModelSchema,
  OperationSchema,
  assertValidModelInput,
  type ModelInput,
} from '@stratus/spec';
import type { ListPageRequest } from '@stratus/store';
import { bodyValidator, ref, responses } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import { ModelParamsSchema, PageQuerySchema, ProjectParamsSchema } from '../schemas.js';
import { readRoute } from './read-route.js';

interface ProjectParams {
  project: string;
}
interface ModelParams extends ProjectParams {
  model: string;
}

/** Models: create, list, get, delete (refused while the model has versions). */
export const modelsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store } = deps;

  app.post<{ Params: ProjectParams; Body: ModelInput }>(
    '/v1/projects/:project/models',
    {
      config: { access: 'editor' },
      onRequest: deps.writeLimit,
      validatorCompiler: bodyValidator(assertValidModelInput),
      schema: {
        tags: ['models'],
        summary: 'Create a model (a named container of versions); 409 if the name is taken',
        params: ProjectParamsSchema,
        body: ref(ModelInputSchema),
        response: responses({ 200: ref(ModelSchema) }),
      },
    },
    async (request) => store.models.create(request.params.project, request.body),
  );

  readRoute<ProjectParams, ListPageRequest>(app, {
    url: '/v1/projects/:project/models',
    tag: 'models',
    summary: 'List models in name order, each with its default version',
    params: ProjectParamsSchema,
    querystring: PageQuerySchema,
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

  app.delete<{ Params: ModelParams }>(
    '/v1/projects/:project/models/:model',
    {
      config: { access: 'editor' },
      onRequest: deps.writeLimit,
      schema: {
        tags: ['models'],
        summary: 'Delete a model that has no versions; returns a finished operation',
        params: ModelParamsSchema,
        response: responses({ 200: ref(OperationSchema) }),
      },
    },
    async (request) => store.models.delete(request.params.project, request.params.model),
  );
};
