import type { FastifyError, FastifyInstance, FastifyPluginAsync } from 'fastify';
// Route schemas carry OpenAPI `tags` and `summary` (the API documents these routes when mounted).
import type {} from '@fastify/swagger';
import { Type } from '@sinclair/typebox';
import { parseJsonBody, useJsonParser } from '@stratus/http';
import {
  ID_PATTERN,
  PROJECT_ID_PATTERN,
  StratusError,
  coerceError,
  formatModelName,
  type Version,
} from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';
import { parsePackedInstances } from '@stratus/serving';

const id = Type.String({ pattern: ID_PATTERN.source });

export const ModelParams = Type.Object({ model: id }, { additionalProperties: false });
export const VersionParams = Type.Object(
  { model: id, version: id },
  { additionalProperties: false },
);
export const ProjectModelParams = Type.Object(
  { project: Type.String({ pattern: PROJECT_ID_PATTERN.source }), model: id },
  { additionalProperties: false },
);
export const ProjectVersionParams = Type.Object(
  { project: Type.String({ pattern: PROJECT_ID_PATTERN.source }), model: id, version: id },
  { additionalProperties: false },
);

export interface ModelRouteParams {
  readonly model: string;
  readonly version?: string;
}

/** A JSON object body of any shape (the protocol handlers validate it themselves). */
export const AnyObject = Type.Object({}, { additionalProperties: true });

/** Overload and shutdown answers carry Retry-After, so clients back off. */
export const retryAfter = (app: FastifyInstance): void => {
  app.addHook('onError', async (_request, reply, error) => {
    if (error instanceof StratusError && error.retryable && error.httpStatus >= 429) {
      void reply.header('retry-after', '1');
    }
  });
};

/**
 * TF Serving and KServe clients expect `{"error": "<message>"}` with the
 * HTTP status, not the Google error shape the /v1/projects API uses.
 */
export const plainErrors = (app: FastifyInstance): void => {
  app.setErrorHandler((raw: unknown, request, reply) => {
    const fastifyError = raw as FastifyError;
    const status =
      raw instanceof StratusError
        ? raw.httpStatus
        : fastifyError.statusCode !== undefined && fastifyError.statusCode < 500
          ? fastifyError.statusCode
          : 500;
    if (status >= 500 && !(raw instanceof StratusError)) {
      request.log.error({ err: coerceError(raw) }, 'request failed');
      return reply.code(500).send({ error: `Internal error: request ${request.id} failed` });
    }
    if (raw instanceof StratusError && raw.reason === 'UNAUTHENTICATED') {
      void reply.header('www-authenticate', 'Bearer realm="stratus"');
    }
    return reply.code(status).send({ error: coerceError(raw).message });
  });
};

/**
 * Register with a `prefix` (`/v2`, `/v1/models`): requests under it that no
 * route matches answer 404 (405 with `Allow` for a known path's other
 * methods) as `{"error": "…"}`, the shape of the protocol served there.
 */
export const plainNotFound: FastifyPluginAsync = async (scope) => {
  plainErrors(scope);
  scope.setNotFoundHandler((request, reply) => {
    throw scope.routeMiss(request, reply);
  });
};

/** The version route params name, or the model's default version (NO_DEFAULT_VERSION without one). */
export const storedVersion = async (
  store: StoreAreas<'models' | 'versions'>,
  project: string,
  params: ModelRouteParams,
): Promise<Version> => {
  if (params.version !== undefined) {
    return store.versions.get(project, params.model, params.version);
  }
  const version = (await store.models.get(project, params.model)).defaultVersion;
  if (version === undefined) {
    throw new StratusError('NO_DEFAULT_VERSION', { name: formatModelName(project, params.model) });
  }
  return version;
};

/** A 400 unless the request carries at most `max` instances. */
export const checkCount = (count: number, max: number, field = 'instances'): void => {
  if (count > max) {
    throw new StratusError('INVALID_PREDICT_REQUEST', {
      detail: `${field}: ${count} instances are more than the limit of ${max}`,
    });
  }
};

/**
 * A predict body's JSON: `{"instances": [...]}` of plain numbers is packed
 * straight from its bytes (`{instances: PackedInstances}`); any other body is
 * parsed as everywhere in the API.
 */
export const readPredictJson = (bytes: Buffer): unknown => {
  const instances = parsePackedInstances(bytes);
  return instances === undefined ? parseJsonBody(bytes.toString('utf8')) : { instances };
};

/** JSON bodies for predict routes, read by {@link readPredictJson}. */
export const packedJsonBodies = (app: FastifyInstance): void => {
  useJsonParser(app, readPredictJson);
};
