import type { FastifyPluginAsync } from 'fastify';
import {
  StratusError,
  VersionSignatureSchema,
  joinGcsUri,
  versionUriUses,
  type SignatureInput,
  type VersionSignature,
} from '@stratus/spec';
import { responses } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import { VersionParamsSchema } from '../schemas.js';

interface VersionParams {
  project: string;
  model: string;
  version: string;
}

/** The parts of a bundle's stratus.json (packages/trainer's StratusManifest) this route reads. */
interface ManifestView {
  readonly algorithm?: unknown;
  readonly preprocessing?: {
    readonly features?: readonly {
      readonly kind?: unknown;
      readonly name?: unknown;
      readonly vocabulary?: unknown;
      readonly mean?: unknown;
    }[];
    readonly label?: { readonly kind?: unknown; readonly classes?: unknown };
  };
}

const RAW: VersionSignature = { format: 'raw', inputs: [], output: { kind: 'raw' } };

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : undefined;

/** The form-facing view of a manifest; BUNDLE_INVALID when it has no usable features. */
export const signatureFromManifest = (uri: string, text: string): VersionSignature => {
  let manifest: ManifestView;
  try {
    manifest = JSON.parse(text) as ManifestView;
  } catch (cause) {
    throw new StratusError(
      'BUNDLE_INVALID',
      { uri, detail: 'stratus.json is not valid JSON' },
      { cause },
    );
  }
  const features = manifest.preprocessing?.features;
  const label = manifest.preprocessing?.label;
  if (!Array.isArray(features) || typeof label !== 'object') {
    throw new StratusError('BUNDLE_INVALID', { uri, detail: 'stratus.json has no preprocessing' });
  }
  const inputs = features.map((feature): SignatureInput => {
    const name = String(feature.name);
    if (feature.kind === 'categorical') {
      return { name, kind: 'categorical', vocabulary: strings(feature.vocabulary) ?? [] };
    }
    if (feature.kind === 'image') return { name, kind: 'image' };
    return {
      name,
      kind: 'numeric',
      ...(typeof feature.mean === 'number' ? { mean: feature.mean } : {}),
    };
  });
  const classes = strings(label.classes);
  return {
    format: 'stratus',
    ...(typeof manifest.algorithm === 'string' ? { algorithm: manifest.algorithm } : {}),
    inputs,
    output:
      label.kind === 'classification'
        ? { kind: 'classification', classes: classes ?? [] }
        : { kind: 'regression' },
  };
};

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
      if (found.deploymentUri === undefined) return RAW;
      await deps.store.buckets.authorize(project, versionUriUses(found.deploymentUri));
      const uri = joinGcsUri(found.deploymentUri, 'stratus.json');
      if (!(await deps.storage.exists(uri))) return RAW;
      return signatureFromManifest(uri, (await deps.storage.read(uri)).toString('utf8'));
    },
  );
};
