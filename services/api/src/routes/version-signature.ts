import type { FastifyPluginAsync } from 'fastify';
import { RAW_SIGNATURE, readBundleSignature } from '@stratus/bundle/manifest';
import { VersionSignatureSchema, versionUriUses } from '@stratus/spec';
import { responses } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import { VersionParamsSchema } from '../schemas.js';

interface VersionParams {
  project: string;
  model: string;
  version: string;
}

/**
 * `GET …/versions/{v}/signature`: the raw input features of a version's
 * bundle (numeric, or categorical with their vocabulary) and its output, so
 * the dashboard can build a "try a prediction" form. Read from the bucket, so
 * it answers before a predictor has loaded the version.
 */
export const versionSignatureRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  app.get<{ Params: VersionParams }>(
    '/v1/projects/:project/models/:model/versions/:version/signature',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['models'],
        summary: "A version's input features (with vocabularies) and outputs, from its bundle",
        params: VersionParamsSchema,
        response: responses({ 200: VersionSignatureSchema }),
      },
    },
    async (request) => {
      const { project, model, version } = request.params;
      const found = await deps.store.versions.get(project, model, version);
      if (found.deploymentUri === undefined) return RAW_SIGNATURE;
      await deps.store.buckets.authorize(project, versionUriUses(found.deploymentUri));
      return readBundleSignature(deps.storage, found.deploymentUri);
    },
  );
};
