import type { FastifyPluginAsync } from 'fastify';
import { idParam } from '@stratus/http';
import type { Version } from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';
import {
  SERVING_SIGNATURE,
  columnarOutputs,
  invalidRequest,
  isPacked,
  isPlainObject,
  prepareInstances,
  rowPredictions,
  type PackedInstances,
} from '@stratus/serving';
import type { Predictor } from '../predictor.js';
import { publicSignature, type PublicTensor } from '../public-signature.js';
import {
  AnyObject,
  ModelParams,
  checkCount,
  packedJsonBodies,
  plainErrors,
  storedVersion,
} from './route-kit.js';
import {
  TfLabelParams,
  TfVersionParams,
  tfAddressed,
  tfLabelParam,
  tfVersionNumber,
  tfVersionParam,
  type TfRouteParams,
} from './tf-serving-versions.js';

/** `{name: [v0, v1, …]}` columns as row objects `[{name: v0}, {name: v1}, …]`. */
const columnsToRows = (columns: Record<string, unknown>): unknown[] => {
  const entries = Object.entries(columns);
  if (entries.length === 0) throw invalidRequest('inputs: must name at least one input');
  let rows: number | undefined;
  for (const [name, column] of entries) {
    if (!Array.isArray(column))
      throw invalidRequest(`inputs.${name}: must be a list, one entry per instance`);
    if (rows !== undefined && column.length !== rows) {
      throw invalidRequest(
        `inputs.${name}: has ${column.length} entries but another input has ${rows}`,
      );
    }
    rows = column.length;
  }
  return Array.from({ length: rows ?? 0 }, (_, row) =>
    Object.fromEntries(entries.map(([name, column]) => [name, (column as unknown[])[row]])),
  );
};

/** The instances of a TF Serving predict body: row format (`instances`) or columnar (`inputs`). */
const parseBody = (
  body: unknown,
): { columnar: boolean; instances: unknown[] | PackedInstances } => {
  if (!isPlainObject(body))
    throw invalidRequest('the body must be an object with "instances" or "inputs"');
  for (const key of Object.keys(body)) {
    if (!['signature_name', 'instances', 'inputs'].includes(key)) {
      throw invalidRequest(`unknown field "${key}"; send "instances" or "inputs"`);
    }
  }
  const { instances, inputs } = body;
  if ((instances === undefined) === (inputs === undefined)) {
    throw invalidRequest(
      'send exactly one of "instances" (row format) and "inputs" (columnar format)',
    );
  }
  if (isPacked(instances)) return { columnar: false, instances };
  if (instances !== undefined) {
    if (!Array.isArray(instances) || instances.length === 0) {
      throw invalidRequest('instances: must be a non-empty list');
    }
    return { columnar: false, instances };
  }
  if (Array.isArray(inputs)) return { columnar: true, instances: inputs };
  if (isPlainObject(inputs)) return { columnar: true, instances: columnsToRows(inputs) };
  throw invalidRequest('inputs: must be a list (one input) or an object of lists');
};

const STATES: Readonly<Record<Version['state'], string>> = {
  CREATING: 'LOADING',
  READY: 'AVAILABLE',
  FAILED: 'END',
  DELETING: 'UNLOADING',
};

/** One entry of TF Serving's `model_version_status`. */
const versionStatus = (version: Version) => ({
  version: tfVersionNumber(version.name.split('/').pop() ?? ''),
  state: STATES[version.state],
  status:
    version.state === 'FAILED'
      ? { error_code: 'FAILED_PRECONDITION', error_message: version.errorMessage ?? '' }
      : { error_code: 'OK', error_message: '' },
});

const DTYPES: Readonly<Record<PublicTensor['dtype'], string>> = {
  float32: 'DT_FLOAT',
  int32: 'DT_INT32',
  string: 'DT_STRING',
};

const tensorInfo = (tensor: PublicTensor) => ({
  dtype: DTYPES[tensor.dtype],
  tensor_shape: { dim: tensor.shape.map((size) => ({ size: String(size), name: '' })) },
  name: tensor.name,
});

/**
 * TensorFlow Serving's REST API on the default project: model status,
 * metadata (signature_def), and `:predict` in row (`instances` →
 * `predictions`) or columnar (`inputs` → `outputs`) format. Versions are
 * addressed by name or number (`v7` or `7`) or by label (`stable`, see
 * tf-serving-versions.ts).
 * Errors are `{"error": "…"}`.
 */
export const tfServingRoutes =
  (
    predictor: Predictor,
    store: StoreAreas<'models' | 'versions'>,
    project: string,
  ): FastifyPluginAsync =>
  async (app) => {
    plainErrors(app);
    packedJsonBodies(app);
    const viewer = { access: 'viewer' as const, project };
    const editor = { access: 'editor' as const, project };
    const target = (params: TfRouteParams) => ({ project, ...tfAddressed(project, params) });

    app.get<{ Params: TfRouteParams }>(
      '/v1/models/:model',
      {
        config: viewer,
        schema: { tags: ['predict'], summary: 'TF Serving: model status', params: ModelParams },
      },
      async (request) => ({
        model_version_status: (await store.versions.listAll(project, request.params.model)).map(
          versionStatus,
        ),
      }),
    );
    for (const [path, params] of [
      [`/v1/models/:model/versions/${tfVersionParam}`, TfVersionParams],
      [`/v1/models/:model/labels/${tfLabelParam}`, TfLabelParams],
    ] as const) {
      app.get<{ Params: TfRouteParams }>(
        path,
        {
          config: viewer,
          schema: { tags: ['predict'], summary: 'TF Serving: version status', params },
        },
        async (request) => ({
          model_version_status: [
            versionStatus(
              await storedVersion(store, project, tfAddressed(project, request.params)),
            ),
          ],
        }),
      );
    }

    const metadata = async (params: TfRouteParams) => {
      const { version, loaded } = await predictor.describe(target(params));
      const signature = publicSignature(loaded.signature);
      const named = (tensors: readonly PublicTensor[]) =>
        Object.fromEntries(tensors.map((tensor) => [tensor.name, tensorInfo(tensor)]));
      return {
        model_spec: {
          name: params.model,
          signature_name: '',
          version: tfVersionNumber(version.version),
        },
        metadata: {
          signature_def: {
            signature_def: {
              [SERVING_SIGNATURE]: {
                inputs: named(signature.inputs),
                outputs: named(signature.outputs),
                method_name: 'tensorflow/serving/predict',
              },
            },
          },
        },
      };
    };
    for (const [path, params] of [
      ['/v1/models/:model/metadata', ModelParams],
      [`/v1/models/:model/versions/${tfVersionParam}/metadata`, TfVersionParams],
      [`/v1/models/:model/labels/${tfLabelParam}/metadata`, TfLabelParams],
    ] as const) {
      app.get<{ Params: TfRouteParams }>(
        path,
        {
          config: viewer,
          schema: { tags: ['predict'], summary: 'TF Serving: signature_def', params },
        },
        async (request) => metadata(request.params),
      );
    }

    const predict = async (params: TfRouteParams, body: unknown) => {
      const addressed = target(params);
      const { columnar, instances } = parseBody(body);
      checkCount(
        isPacked(instances) ? instances.rows : instances.length,
        predictor.limits.maxInstances,
      );
      const result = await predictor.predict(addressed, (signature) =>
        prepareInstances(signature, instances),
      );
      return columnar
        ? { outputs: columnarOutputs(result.signature, result.outputs) }
        : { predictions: rowPredictions(result.signature, result.outputs) };
    };
    for (const [path, params] of [
      [`/v1/models/${idParam('model')}::predict`, ModelParams],
      [`/v1/models/:model/versions/${tfVersionParam}::predict`, TfVersionParams],
      [`/v1/models/:model/labels/${tfLabelParam}::predict`, TfLabelParams],
    ] as const) {
      app.post<{ Params: TfRouteParams }>(
        path,
        {
          config: editor,
          schema: {
            tags: ['predict'],
            summary: 'TF Serving: predict (row or columnar)',
            params,
            body: AnyObject,
          },
        },
        async (request) => predict(request.params, request.body),
      );
    }
  };
