import type { FastifyPluginAsync } from 'fastify';
import { idParam } from '@stratus/http';
import type { LabelSpec } from '@stratus/bundle';
import {
  rowPredictions,
  prepareInstances,
  invalidRequest,
  isPlainObject,
  type ModelSignature,
} from '@stratus/serving';
import type { Predictor } from '../predictor.js';
import { AnyObject, ModelParams, checkCount, plainErrors } from './route-kit.js';
import {
  TfLabelParams,
  TfVersionParams,
  tfAddressed,
  tfLabelParam,
  tfVersionParam,
  type TfRouteParams,
} from './tf-serving-versions.js';

type Method = 'classify' | 'regress';

/**
 * The examples of a TF Serving classify/regress body, each merged over the
 * shared `context` features (an example's own value wins), as TF Serving does.
 */
const parseExamples = (body: unknown): Record<string, unknown>[] => {
  if (!isPlainObject(body)) throw invalidRequest('the body must be an object with "examples"');
  for (const key of Object.keys(body)) {
    if (!['signature_name', 'context', 'examples'].includes(key)) {
      throw invalidRequest(`unknown field "${key}"; send "examples" (and optionally "context")`);
    }
  }
  const { context = {}, examples } = body;
  if (!isPlainObject(context)) throw invalidRequest('context: must be an object of features');
  if (!Array.isArray(examples) || examples.length === 0) {
    throw invalidRequest('examples: must be a non-empty list of feature objects');
  }
  return examples.map((example: unknown, index) => {
    if (!isPlainObject(example)) {
      throw invalidRequest(`examples[${index}]: must be an object of feature values`);
    }
    return { ...context, ...example };
  });
};

/** The bundle's label when it fits `method`; otherwise a 400 saying what the model is. */
const labelFor = (signature: ModelSignature, method: Method): LabelSpec => {
  const label = signature.kind === 'stratus' ? signature.manifest?.preprocessing.label : undefined;
  const wanted = method === 'classify' ? 'classification' : 'regression';
  if (label?.kind !== wanted) {
    const is = label === undefined ? `a raw ${signature.kind} model` : `a ${label.kind} model`;
    throw invalidRequest(
      `:${method} needs a Stratus ${wanted} model; this is ${is} (use :predict)`,
    );
  }
  return label;
};

/**
 * TensorFlow Serving's Classify and Regress REST APIs on the default
 * project, for Stratus bundles: `{"examples": [{feature: value}], "context"?}`
 * → `{"result": [[[label, score], …], …]}` (every class, in the model's
 * label order) or `{"result": [value, …]}`. Errors are `{"error": "…"}`.
 */
export const tfServingExampleRoutes =
  (predictor: Predictor, project: string): FastifyPluginAsync =>
  async (app) => {
    plainErrors(app);
    const run = async (method: Method, params: TfRouteParams, body: unknown) => {
      // The address first: an unknown label is a 404 whatever the body.
      const target = { project, ...tfAddressed(project, params) };
      const examples = parseExamples(body);
      checkCount(examples.length, predictor.limits.maxInstances, 'examples');
      const result = await predictor.predict(target, (signature) => {
        labelFor(signature, method);
        return prepareInstances(signature, examples, (index) => `examples[${index}]`);
      });
      const predictions = rowPredictions(result.signature, result.outputs);
      if (method === 'regress') {
        return { result: predictions.map((prediction) => (prediction as { value: number }).value) };
      }
      return {
        result: predictions.map((prediction) =>
          Object.entries((prediction as { probabilities: Record<string, number> }).probabilities),
        ),
      };
    };
    for (const method of ['classify', 'regress'] as const) {
      for (const [path, params] of [
        [`/v1/models/${idParam('model')}::${method}`, ModelParams],
        [`/v1/models/:model/versions/${tfVersionParam}::${method}`, TfVersionParams],
        [`/v1/models/:model/labels/${tfLabelParam}::${method}`, TfLabelParams],
      ] as const) {
        app.post<{ Params: TfRouteParams }>(
          path,
          {
            config: { access: 'editor', project },
            schema: {
              tags: ['predict'],
              summary: `TF Serving: ${method} (examples → result)`,
              params,
              body: AnyObject,
            },
          },
          async (request) => run(method, request.params, request.body),
        );
      }
    }
  };
