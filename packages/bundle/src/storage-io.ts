import { tf } from './backend/tf.js';
import { StratusError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';

type ModelArtifacts = tf.io.ModelArtifacts;
type ModelJSON = tf.io.ModelJSON;
type WeightsManifestConfig = tf.io.WeightsManifestConfig;

/** Shard size of exported weights, as tensorflowjs_converter uses. */
export const SHARD_BYTES = 4 * 1024 * 1024;

const joinUri = (dir: string, file: string): string => `${dir.replace(/\/+$/, '')}/${file}`;

const toArrayBuffer = (data: tf.io.WeightData): ArrayBuffer =>
  Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;

/**
 * A tf.io handler that saves and loads a model directory (`model.json` +
 * weight shards) through the storage layer. Shards are written before
 * `model.json`, so a reader that finds `model.json` finds complete weights.
 */
export function storageIOHandler(
  storage: Storage,
  dirUri: string,
): Required<Pick<tf.io.IOHandler, 'save' | 'load'>> {
  return {
    async save(artifacts: ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new StratusError('BUNDLE_INVALID', {
          uri: dirUri,
          detail: 'binary model topologies cannot be saved',
        });
      }
      const weights = new Uint8Array(
        artifacts.weightData === undefined
          ? new ArrayBuffer(0)
          : toArrayBuffer(artifacts.weightData),
      );
      const shardCount = Math.max(1, Math.ceil(weights.byteLength / SHARD_BYTES));
      const paths: string[] = [];
      for (let index = 0; index < shardCount; index += 1) {
        const path = `group1-shard${index + 1}of${shardCount}.bin`;
        paths.push(path);
        const shard = weights.subarray(index * SHARD_BYTES, (index + 1) * SHARD_BYTES);
        await storage.write(joinUri(dirUri, path), shard, {
          contentType: 'application/octet-stream',
        });
      }
      const manifest: WeightsManifestConfig = [{ paths, weights: artifacts.weightSpecs ?? [] }];
      const topology = artifacts.modelTopology;
      if (topology === undefined) {
        throw new StratusError('BUNDLE_INVALID', {
          uri: dirUri,
          detail: 'the model has no topology',
        });
      }
      const modelJson: ModelJSON = {
        modelTopology: topology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: manifest,
        ...(artifacts.trainingConfig === undefined
          ? {}
          : { trainingConfig: artifacts.trainingConfig }),
        ...(artifacts.signature === undefined ? {} : { signature: artifacts.signature }),
        ...(artifacts.userDefinedMetadata === undefined
          ? {}
          : { userDefinedMetadata: artifacts.userDefinedMetadata }),
      };
      await storage.write(joinUri(dirUri, 'model.json'), JSON.stringify(modelJson), {
        contentType: 'application/json',
      });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<ModelArtifacts> {
      return loadModelArtifacts(storage, dirUri, await readModelJson(storage, dirUri));
    },
  };
}

/**
 * The artifacts of a model whose `model.json` is already read (and checked):
 * the shards' sizes are compared with what the manifest describes before any
 * shard is read, so a bundle with oversized shards costs a listing, not a download.
 */
export async function loadModelArtifacts(
  storage: Storage,
  dirUri: string,
  modelJson: ModelJSON,
): Promise<ModelArtifacts> {
  return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const paths = manifest.flatMap((group) => group.paths);
    const expected = expectedWeightBytes(specs);
    const mismatch = (actual: number): StratusError =>
      new StratusError('BUNDLE_INVALID', {
        uri: dirUri,
        detail: `weight shards hold ${actual} bytes but model.json describes ${expected}`,
      });
    if (expected !== undefined) {
      let stored = 0;
      for (const path of paths) stored += await shardSize(storage, dirUri, path);
      if (stored !== expected) throw mismatch(stored);
    }
    const buffers: ArrayBuffer[] = [];
    for (const path of paths) buffers.push(await readShard(storage, dirUri, path));
    const data = tf.io.concatenateArrayBuffers(buffers);
    if (expected !== undefined && data.byteLength !== expected) throw mismatch(data.byteLength);
    return [specs, data];
  });
}

/** Read and parse `model.json` of a bundle directory; BUNDLE_INVALID naming what is wrong. */
export async function readModelJson(storage: Storage, dirUri: string): Promise<ModelJSON> {
  const uri = joinUri(dirUri, 'model.json');
  let text: string;
  try {
    text = (await storage.read(uri)).toString('utf8');
  } catch (error) {
    if (error instanceof StratusError && error.reason === 'OBJECT_NOT_FOUND') {
      throw new StratusError('BUNDLE_INVALID', { uri: dirUri, detail: 'model.json not found' });
    }
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new StratusError(
      'BUNDLE_INVALID',
      { uri: dirUri, detail: 'model.json is not valid JSON' },
      { cause },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || !('modelTopology' in parsed)) {
    throw new StratusError('BUNDLE_INVALID', {
      uri: dirUri,
      detail: 'model.json has no modelTopology (not a TensorFlow.js model)',
    });
  }
  const manifest = (parsed as { weightsManifest?: unknown }).weightsManifest;
  if (manifest !== undefined && !isManifest(manifest)) {
    throw new StratusError('BUNDLE_INVALID', {
      uri: dirUri,
      detail: 'model.json has a malformed weightsManifest',
    });
  }
  return parsed as ModelJSON;
}

function isManifest(value: unknown): value is WeightsManifestConfig {
  return (
    Array.isArray(value) &&
    value.every(
      (group: unknown) =>
        typeof group === 'object' &&
        group !== null &&
        Array.isArray((group as { paths?: unknown }).paths) &&
        (group as { paths: unknown[] }).paths.every(
          (path) => typeof path === 'string' && /^[A-Za-z0-9_.-]+$/.test(path),
        ) &&
        Array.isArray((group as { weights?: unknown }).weights),
    )
  );
}

const missingShard = (dirUri: string, path: string): StratusError =>
  new StratusError('BUNDLE_INVALID', {
    uri: dirUri,
    detail: `weight shard ${path} named in model.json is missing`,
  });

async function shardSize(storage: Storage, dirUri: string, path: string): Promise<number> {
  try {
    return (await storage.stat(joinUri(dirUri, path))).size;
  } catch (error) {
    if (error instanceof StratusError && error.reason === 'OBJECT_NOT_FOUND') {
      throw missingShard(dirUri, path);
    }
    throw error;
  }
}

async function readShard(storage: Storage, dirUri: string, path: string): Promise<ArrayBuffer> {
  try {
    const buffer = await storage.read(joinUri(dirUri, path));
    return buffer.buffer.slice(
      buffer.byteOffset,
      buffer.byteOffset + buffer.byteLength,
    ) as ArrayBuffer;
  } catch (error) {
    if (error instanceof StratusError && error.reason === 'OBJECT_NOT_FOUND') {
      throw missingShard(dirUri, path);
    }
    throw error;
  }
}

const DTYPE_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
};

/** Bytes the manifest implies, or undefined when quantised/string weights make it unknowable. */
function expectedWeightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((product, dim) => product * dim, 1);
    if (spec.quantization !== undefined) {
      const bytes =
        spec.quantization.dtype === 'uint16' || spec.quantization.dtype === 'float16' ? 2 : 1;
      total += size * bytes;
      continue;
    }
    const bytes = DTYPE_BYTES[spec.dtype];
    if (bytes === undefined) return undefined;
    total += size * bytes;
  }
  return total;
}
