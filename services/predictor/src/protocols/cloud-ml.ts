import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { assertValidPredictRequest, type PredictRequest } from '@stratus/spec';
import { bodyValidator, idParam, responses } from '@stratus/api';
import { rowPredictions } from '../format-outputs.js';
import type { Predictor } from '../predictor.js';
import { prepareInstances } from '../prepare-inputs.js';
import { ProjectModelParams, ProjectVersionParams, checkCount } from './route-kit.js';

interface Params {
  readonly project: string;
  readonly model: string;
  readonly version?: string;
}

const PredictResponse = Type.Object({ predictions: Type.Array(Type.Unknown()) });

/**
 * Cloud ML online prediction: `POST /v1/projects/{p}/models/{m}:predict`
 * (the default version) and `…/versions/{v}:predict`; `{instances}` →
 * `{predictions}` in order.
 */
export const cloudMlRoutes =
  (predictor: Predictor): FastifyPluginAsync =>
  async (app) => {
    const handler = async (request: { params: Params; body: PredictRequest }) => {
      const { project, model, version } = request.params;
      const { instances } = request.body;
      checkCount(instances.length, predictor.limits.maxInstances);
      const result = await predictor.predict(
        { project, model, ...(version === undefined ? {} : { version }) },
        (signature) => prepareInstances(signature, instances),
      );
      return { predictions: rowPredictions(result.signature, result.outputs) };
    };
    const body = {
      type: 'object',
      description: '{"instances": [...], "signature_name"?: "..."}',
    } as const;

    app.post<{ Params: Params; Body: PredictRequest }>(
      `/v1/projects/:project/models/${idParam('model')}::predict`,
      {
        config: { access: 'editor' },
        validatorCompiler: bodyValidator(assertValidPredictRequest),
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

    app.post<{ Params: Params; Body: PredictRequest }>(
      `/v1/projects/:project/models/:model/versions/${idParam('version')}::predict`,
      {
        config: { access: 'editor' },
        validatorCompiler: bodyValidator(assertValidPredictRequest),
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
