import type { FastifyPluginAsync } from 'fastify';
import {
  ListQuerySchema,
  ListVersionsResponseSchema,
  OperationSchema,
  VersionInputSchema,
  VersionSchema,
  assertValidVersionInput,
  versionUriUses,
  type UriUse,
  type VersionInput,
} from '@stratus/spec';
import type { ListPageRequest, StoreAreas } from '@stratus/store';
import { idParam, ref } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import {
  EmptySchema,
  ModelParamsSchema,
  PatchBodySchema,
  UpdateMaskQuerySchema,
  VersionParamsSchema,
} from '../schemas.js';
import { patchRequest, type UpdateMaskQuery } from './patch-request.js';
import { readRoute } from './read-route.js';
import { writeRoute } from './write-route.js';

interface ModelParams {
  project: string;
  model: string;
}
interface VersionParams extends ModelParams {
  version: string;
}

/** The bundle a new version reads: its deploymentUri, or the model its sourceJob trained. */
const bundleUses = async (
  store: StoreAreas<'models' | 'versions'>,
  project: string,
  input: VersionInput,
): Promise<UriUse[]> => {
  if (input.deploymentUri !== undefined) return versionUriUses(input.deploymentUri);
  if (input.sourceJob === undefined) return [];
  return versionUriUses(await store.models.resolveSourceJob(project, input.sourceJob), 'sourceJob');
};

const VERSIONS = '/v1/projects/:project/models/:model/versions';
/** `:setDefault` follows a regex id parameter (as jobs' `:cancel` does). */
const SET_DEFAULT_PATH = `${VERSIONS}/${idParam('version')}::setDefault`;

/**
 * Versions: create (returns the CREATE_VERSION operation at once; a predictor
 * loads the bundle and reports READY or FAILED), list, get, patch, setDefault, delete.
 */
export const versionsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store } = deps;

  writeRoute<ModelParams, VersionInput>(app, deps, {
    method: 'POST',
    url: VERSIONS,
    tag: 'models',
    summary:
      'Deploy a version from deploymentUri or sourceJob; returns an operation that ends when it is READY or FAILED',
    params: ModelParamsSchema,
    body: ref(VersionInputSchema),
    assertBody: assertValidVersionInput,
    response: ref(OperationSchema),
    handler: async (request) => {
      const { project, model } = request.params;
      // A missing model is a 404 before any bucket is claimed for it.
      await store.models.get(project, model);
      const uses = await bundleUses(store, project, request.body);
      const { version, operation } = await store.buckets.withAccess(
        project,
        uses,
        request.log,
        () => store.versions.create(project, model, request.body),
      );
      request.log.info({ version: version.name, uri: version.deploymentUri }, 'version created');
      return operation;
    },
  });

  readRoute<ModelParams, ListPageRequest>(app, {
    url: VERSIONS,
    tag: 'models',
    summary:
      "List a model's versions in name order; `filter` on name, state, framework, createTime, labels",
    params: ModelParamsSchema,
    querystring: ListQuerySchema,
    response: ListVersionsResponseSchema,
    handler: ({ params, query }) => store.versions.list(params.project, params.model, query),
  });

  readRoute<VersionParams>(app, {
    url: `${VERSIONS}/:version`,
    tag: 'models',
    summary: 'Get a version: state, errorMessage, isDefault, lastUseTime',
    params: VersionParamsSchema,
    response: VersionSchema,
    handler: ({ params }) => store.versions.get(params.project, params.model, params.version),
  });

  writeRoute<VersionParams, unknown, UpdateMaskQuery>(app, deps, {
    method: 'PATCH',
    url: `${VERSIONS}/:version`,
    tag: 'models',
    summary:
      'Change a version (updateMask: description, labels, manualScaling.nodes, autoScaling.minNodes); returns a finished UPDATE_VERSION operation',
    params: VersionParamsSchema,
    querystring: UpdateMaskQuerySchema,
    body: PatchBodySchema,
    response: ref(OperationSchema),
    handler: async ({ params, query, body }) =>
      store.versions.patch(
        params.project,
        params.model,
        params.version,
        patchRequest('version', query, body),
      ),
  });

  writeRoute<VersionParams>(app, deps, {
    method: 'DELETE',
    url: `${VERSIONS}/:version`,
    tag: 'models',
    summary: 'Delete a version (not the default while others exist); returns a finished operation',
    params: VersionParamsSchema,
    response: ref(OperationSchema),
    handler: async ({ params }) =>
      store.versions.delete(params.project, params.model, params.version),
  });

  writeRoute<VersionParams>(app, deps, {
    method: 'POST',
    url: SET_DEFAULT_PATH,
    tag: 'models',
    summary: "Make a READY version the model's default (what :predict on the model uses)",
    params: VersionParamsSchema,
    body: EmptySchema,
    response: ref(VersionSchema),
    handler: async ({ params }) =>
      store.versions.setDefault(params.project, params.model, params.version),
  });
};
