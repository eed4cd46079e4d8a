import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { bodyValidator, idParam, responses } from '@stratus/http';
import { assertValidPredictRequest, type PredictRequest } from '@stratus/spec';
import { rowPredictions, isPacked, type PackedInstances, prepareInstances } from '@stratus/serving';
import type { Predictor } from '../predictor.js';
import { unwrapHttpBody } from './http-body.js';
import {
  ProjectModelParams,
  ProjectVersionParams,
  checkCount,
  packedJsonBodies,
} from './route-kit.js';

interface Params {
  readonly project: string;
  readonly model: string;
  readonly version?: string;
}

const PredictResponse = Type.Object({ predictions: Type.Array(Type.Unknown()) });

/** A predict body: as the spec validates it, or numeric instances already packed. */
type Body = PredictRequest | { readonly instances: PackedInstances };

/**
 * The request itself or the `{httpBody}` that carries it (googleapis clients). Packed
 * instances met the schema as they were read (one key, at least one instance).
 */
const assertValidBody = (raw: unknown): Body => {
  const body = unwrapHttpBody(raw);
  return isPacked((body as { instances?: unknown } | undefined)?.instances)
    ? (body as Body)
    : assertValidPredictRequest(body);
};

/**
 * Cloud ML online prediction: `POST /v1/projects/{p}/models/{m}:predict`
 * (the default version) and `…/versions/{v}:predict`; `{instances}` →
 * `{predictions}` in order.
 */
export const cloudMlRoutes =
  (predictor: Predictor): FastifyPluginAsync =>
  async (app) => {
    packedJsonBodies(app);
    const handler = async (request: { params: Params; body: Body }) => {
      const { project, model, version } = request.params;
      const { instances } = request.body;
      checkCount(
        isPacked(instances) ? instances.rows : instances.length,
        predictor.limits.maxInstances,
      );
      const result = await predictor.predict(
        { project, model, ...(version === undefined ? {} : { version }) },
        (signature) => prepareInstances(signature, instances),
      );
      return { predictions: rowPredictions(result.signature, result.outputs) };
    };
    const body = {
      type: 'object',
      description:
        '{"instances": [...], "signature_name"?: "..."}, or that JSON base64 in {"httpBody": {"contentType": "application/json", "data": "..."}} (googleapis clients)',
    } as const;

    app.post<{ Params: Params; Body: Body }>(
      `/v1/projects/:project/models/${idParam('model')}::predict`,
      {
        config: { access: 'editor' },
        validatorCompiler: bodyValidator(assertValidBody),
        schema: {
          tags: ['predict'],
          summary: "Predict with the model's default version",
          params: ProjectModelParams,
          body,
          response: responses({ 200: PredictResponse }),
        },
      },
      handler,
    );

    app.post<{ Params: Params; Body: Body }>(
      `/v1/projects/:project/models/:model/versions/${idParam('version')}::predict`,
      {
        config: { access: 'editor' },
        validatorCompiler: bodyValidator(assertValidBody),
        schema: {
          tags: ['predict'],
          summary: 'Predict with one version',
          params: ProjectVersionParams,
          body,
          response: responses({ 200: PredictResponse }),
        },
      },
      handler,
    );
  };
