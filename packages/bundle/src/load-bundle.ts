import { tf } from './backend/tf.js';
import { StratusError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import { MANIFEST_FILE, parseManifest, type StratusManifest } from './manifest.js';
import { assertModelParamsWithinLimit } from './params/count-params.js';
import { loadModelArtifacts, readModelJson } from './storage-io.js';

/** A loaded model bundle: a Stratus-trained layers model with its manifest, or a raw tfjs model. */
export type Bundle =
  | {
      readonly kind: 'stratus';
      readonly uri: string;
      readonly model: tf.LayersModel;
      readonly manifest: StratusManifest;
    }
  | { readonly kind: 'layers'; readonly uri: string; readonly model: tf.LayersModel }
  | { readonly kind: 'graph'; readonly uri: string; readonly model: tf.GraphModel };

export interface LoadBundleOptions {
  /**
   * Parameters the model may declare (config's `limits.maxModelParams`,
   * `STRATUS_MAX_MODEL_PARAMS`): checked on `model.json` alone, before any
   * weight is read or tensor allocated.
   */
  readonly maxParams: number;
}

/**
 * Load the bundle at `uri` (a directory with `model.json`, in tfjs layers or
 * graph format, plus `stratus.json` for Stratus-trained models). Every defect
 * is a BUNDLE_INVALID error that says what is wrong; a model that declares
 * more than `maxParams` parameters is MODEL_TOO_LARGE.
 */
export async function loadBundle(
  storage: Storage,
  uri: string,
  options: LoadBundleOptions,
): Promise<Bundle> {
  const dir = uri.replace(/\/+$/, '');
  const modelJson = await readModelJson(storage, dir);
  assertModelParamsWithinLimit(modelJson, { limit: options.maxParams, uri: dir });
  const artifacts = await loadModelArtifacts(storage, dir, modelJson);
  const topology = artifacts.modelTopology as Record<string, unknown> | undefined;
  const isGraph =
    artifacts.format === 'graph-model' || (topology !== undefined && 'node' in topology);
  const fromMemory = tf.io.fromMemory(artifacts);
  try {
    if (isGraph) {
      return { kind: 'graph', uri: dir, model: await tf.loadGraphModel(fromMemory) };
    }
    const model = await tf.loadLayersModel(fromMemory);
    const manifestUri = `${dir}/${MANIFEST_FILE}`;
    if (!(await storage.exists(manifestUri))) return { kind: 'layers', uri: dir, model };
    const manifest = parseManifest(dir, (await storage.read(manifestUri)).toString('utf8'));
    const expected = manifest.preprocessing.inputShape;
    const actual = model.inputs[0]?.shape.slice(1) ?? [];
    if (expected.length !== actual.length || expected.some((dim, i) => actual[i] !== dim)) {
      model.dispose();
      throw new StratusError('BUNDLE_INVALID', {
        uri: dir,
        detail: `${MANIFEST_FILE} describes input shape [${expected.join(', ')}] but the model takes [${actual.join(', ')}]`,
      });
    }
    return { kind: 'stratus', uri: dir, model, manifest };
  } catch (error) {
    if (error instanceof StratusError) throw error;
    throw new StratusError(
      'BUNDLE_INVALID',
      { uri: dir, detail: `TensorFlow.js cannot load the model: ${(error as Error).message}` },
      { cause: error },
    );
  }
}
