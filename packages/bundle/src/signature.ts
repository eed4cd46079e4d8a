import type { SignatureInput, VersionSignature } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import { MANIFEST_FILE, parseManifest, type StratusManifest } from './manifest.js';

/** The signature of a bundle without `stratus.json`: a raw tfjs model, which lists no features. */
export const RAW_SIGNATURE: VersionSignature = {
  format: 'raw',
  inputs: [],
  output: { kind: 'raw' },
};

/**
 * What a Stratus bundle takes and returns: its raw input features (numeric
 * with the training mean, categorical with the vocabulary, image with its
 * shape) and its output (classes, or a regression value). The API's
 * version-signature route returns it; the predictor's metadata routes
 * describe it as tensors.
 */
export function manifestSignature(manifest: StratusManifest): VersionSignature {
  const { features, label } = manifest.preprocessing;
  const inputs = features.map((feature): SignatureInput => {
    switch (feature.kind) {
      case 'numeric':
        return { name: feature.name, kind: 'numeric', mean: feature.mean };
      case 'categorical':
        return { name: feature.name, kind: 'categorical', vocabulary: [...feature.vocabulary] };
      case 'image':
        return {
          name: feature.name,
          kind: 'image',
          shape: [feature.height, feature.width, feature.channels],
        };
    }
  });
  return {
    format: 'stratus',
    algorithm: manifest.algorithm,
    inputs,
    output:
      label.kind === 'classification'
        ? { kind: 'classification', classes: [...label.classes] }
        : { kind: 'regression' },
  };
}

/**
 * The signature of the bundle in `dirUri`, read from its `stratus.json`
 * alone (no weights): RAW_SIGNATURE when it has none, BUNDLE_INVALID naming
 * the problem when that file is malformed.
 */
export async function readBundleSignature(
  storage: Storage,
  dirUri: string,
): Promise<VersionSignature> {
  const uri = `${dirUri.replace(/\/+$/, '')}/${MANIFEST_FILE}`;
  if (!(await storage.exists(uri))) return RAW_SIGNATURE;
  return manifestSignature(parseManifest(uri, (await storage.read(uri)).toString('utf8')));
}
