import type { FastifyPluginAsync } from 'fastify';
import { StratusError } from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';
import type { Predictor } from '../predictor.js';
import { publicSignature, type PublicTensor } from '../public-signature.js';
import { HEADER_LENGTH, inferReply, useInferBodies } from './kserve-binary.js';
import {
  booleanParameter,
  datatypeOf,
  inferOutputs,
  parseInferInputs,
  prepareInfer,
  requestedOutputs,
} from './kserve-tensors.js';
import {
  AnyObject,
  ModelParams,
  VersionParams,
  checkCount,
  plainErrors,
  storedVersion,
  type ModelRouteParams,
} from './route-kit.js';

/** The version of this server's KServe v2 protocol answers. */
export const SERVER_VERSION = '0.1.0';

const describeTensor = (tensor: PublicTensor) => ({
  name: tensor.name,
  datatype: datatypeOf(tensor.dtype),
  shape: tensor.shape,
});

/**
 * KServe v2 / Open Inference Protocol on the default project: server
 * liveness and readiness (open to anyone, for Kubernetes probes) and
 * metadata; model metadata (input and output names,
 * datatypes, shapes) and readiness; `infer` with typed tensors, as JSON or
 * with the binary tensor data extension (kserve-binary.ts). Errors are `{"error": "…"}`.
 */
export const kserveRoutes =
  (
    predictor: Predictor,
    store: StoreAreas<'models' | 'versions'>,
    project: string,
  ): FastifyPluginAsync =>
  async (app) => {
    plainErrors(app);
    useInferBodies(app);
    const server = { access: 'authenticated' as const };
    // Kubernetes probes carry no token: liveness and readiness are open (they tell nothing of any model).
    const probe = { access: 'public' as const };
    const viewer = { access: 'viewer' as const, project };
    const editor = { access: 'editor' as const, project };
    const tags = ['predict'];

    app.get(
      '/v2',
      { config: server, schema: { tags, summary: 'KServe v2: server metadata' } },
      async () => ({
        name: 'stratus',
        version: SERVER_VERSION,
        extensions: ['binary_tensor_data'],
      }),
    );
    app.get(
      '/v2/health/live',
      { config: probe, schema: { tags, summary: 'KServe v2: live' } },
      async () => ({
        live: true,
      }),
    );
    app.get(
      '/v2/health/ready',
      { config: probe, schema: { tags, summary: 'KServe v2: ready' } },
      async () => {
        if (!predictor.ready) {
          throw new StratusError('PREDICTOR_UNAVAILABLE', {
            name: 'predictor',
            detail: 'it is not started',
          });
        }
        return { ready: true };
      },
    );

    const metadata = async (params: ModelRouteParams) => {
      const { version, loaded } = await predictor.describe({ project, ...params });
      const signature = publicSignature(loaded.signature);
      const versions =
        params.version === undefined
          ? (await store.versions.listAll(project, params.model)).map(
              (v) => v.name.split('/').pop() ?? '',
            )
          : [version.version];
      return {
        name: params.model,
        versions,
        platform:
          loaded.signature.runtime === 'onnx'
            ? 'onnxruntime_onnx'
            : `tensorflowjs_${loaded.signature.kind}`,
        inputs: signature.inputs.map(describeTensor),
        outputs: signature.outputs.map(describeTensor),
      };
    };
    const ready = async (params: ModelRouteParams) => {
      const version = await storedVersion(store, project, params);
      if (version.state !== 'READY') {
        throw new StratusError('VERSION_NOT_READY', { name: version.name, state: version.state });
      }
      return { name: params.model, ready: true };
    };
    const infer = async (params: ModelRouteParams, body: Record<string, unknown>) => {
      const tensors = parseInferInputs(body);
      checkCount(tensors[0]?.shape[0] ?? 0, predictor.limits.maxInstances, 'inputs');
      const requested = requestedOutputs(body);
      const binary = booleanParameter(body.parameters, 'binary_data_output', 'parameters') ?? false;
      const result = await predictor.predict({ project, ...params }, (signature) =>
        prepareInfer(signature, tensors),
      );
      const response = {
        model_name: params.model,
        model_version: result.version.version,
        ...(typeof body.id === 'string' ? { id: body.id } : {}),
        outputs: inferOutputs(result.signature, result.outputs, requested),
      };
      return inferReply(response, requested, binary);
    };

    for (const [base, params] of [
      ['/v2/models/:model', ModelParams],
      ['/v2/models/:model/versions/:version', VersionParams],
    ] as const) {
      app.get<{ Params: ModelRouteParams }>(
        base,
        { config: viewer, schema: { tags, summary: 'KServe v2: model metadata', params } },
        async (request) => metadata(request.params),
      );
      app.get<{ Params: ModelRouteParams }>(
        `${base}/ready`,
        { config: viewer, schema: { tags, summary: 'KServe v2: model ready', params } },
        async (request) => ready(request.params),
      );
      app.post<{ Params: ModelRouteParams; Body: Record<string, unknown> }>(
        `${base}/infer`,
        { config: editor, schema: { tags, summary: 'KServe v2: infer', params, body: AnyObject } },
        async (request, reply) => {
          const answer = await infer(request.params, request.body);
          if ('json' in answer) return answer.json;
          return reply
            .type('application/octet-stream')
            .header(HEADER_LENGTH, answer.headerLength)
            .send(answer.body);
        },
      );
    }
  };
