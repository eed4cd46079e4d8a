/**
 * A corpus of broken model bundles (issue 10, bad input): each is a
 * BUNDLE_INVALID whose message names the problem, never a crash or a
 * TypeError. (The predictor turns these into a FAILED version's errorMessage.)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StratusError } from '@stratus/spec';
import { createLocalStorage, type Storage } from '@stratus/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tf } from './backend/tf.js';
import { exportBundle } from './export-bundle.js';
import { loadBundle } from './load-bundle.js';
import type { StratusManifest } from './manifest.js';
import { OVERSIZED_MODEL_JSON, OVERSIZED_PARAMS } from './params/oversized-model.test-support.js';
import { storageIOHandler } from './storage-io.js';

let root: string;
let storage: Storage;
const GOOD = 'gs://demo/good';

// A backend for the models built here: importing @stratus/bundle registers wasm, uninitialised,
// above cpu (tests sharing this module graph may also have chosen one).
beforeAll(() => tf.setBackend('cpu'));

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'stratus-bundle-'));
  storage = createLocalStorage({ root });
  const input = tf.input({ shape: [2], name: 'xy' });
  const output = tf.layers.dense({ units: 2, useBias: false, name: 'scale' }).apply(input);
  const model = tf.model({ inputs: input, outputs: output as tf.SymbolicTensor });
  await model.save(storageIOHandler(storage, GOOD));
  model.dispose();
});
afterAll(async () => {
  await storage.close();
  await rm(root, { recursive: true, force: true });
});

interface ModelJson {
  weightsManifest: { paths: string[]; weights: { name: string }[] }[];
  [key: string]: unknown;
}

const goodModelJson = async (): Promise<ModelJson> =>
  JSON.parse((await storage.read(`${GOOD}/model.json`)).toString('utf8')) as ModelJson;

/** A copy of the good bundle at `uri`, with `model.json` and files replaced as given. */
const bundle = async (
  uri: string,
  files: Readonly<Record<string, string | Buffer | undefined>>,
): Promise<string> => {
  for (const name of ['model.json', 'group1-shard1of1.bin']) {
    if (!(name in files))
      await storage.write(`${uri}/${name}`, await storage.read(`${GOOD}/${name}`));
  }
  for (const [name, body] of Object.entries(files)) {
    if (body !== undefined) await storage.write(`${uri}/${name}`, body);
  }
  return uri;
};

const rejection = async (uri: string): Promise<{ reason: string; message: string }> => {
  try {
    const loaded = await loadBundle(storage, uri, { maxParams: 100_000_000 });
    loaded.model.dispose();
  } catch (error) {
    expect(error).toBeInstanceOf(StratusError);
    return { reason: (error as StratusError).reason, message: (error as Error).message };
  }
  throw new Error(`${uri} loaded`);
};

describe('malformed model bundles', () => {
  it('loads the good one (so the corpus below fails for its own defect)', async () => {
    const loaded = await loadBundle(storage, GOOD, { maxParams: 100_000_000 });
    expect(loaded.kind).toBe('layers');
    loaded.model.dispose();
  });

  it('model.json that is not JSON', async () => {
    const uri = await bundle('gs://demo/notjson', { 'model.json': '{"modelTopology": {' });
    const { reason, message } = await rejection(uri);
    expect(reason).toBe('BUNDLE_INVALID');
    expect(message).toContain(`Model bundle ${uri} is invalid: `);
    expect(message).toMatch(/model\.json is not valid JSON/);
  });

  it('model.json that is JSON but not an object', async () => {
    const uri = await bundle('gs://demo/array', { 'model.json': '[1, 2, 3]' });
    const { message } = await rejection(uri);
    expect(message).toContain(`Model bundle ${uri} is invalid: `);
    expect(message).toMatch(/model\.json/);
  });

  it('a weights manifest pointing at a missing shard, naming it', async () => {
    const json = await goodModelJson();
    json.weightsManifest[0]!.paths = ['group1-shard1of1.bin', 'group1-shard2of2.bin'];
    const uri = await bundle('gs://demo/missing_shard', { 'model.json': JSON.stringify(json) });
    const { reason, message } = await rejection(uri);
    expect(reason).toBe('BUNDLE_INVALID');
    expect(message).toContain('group1-shard2of2.bin');
  });

  it('a shard path that tries to leave the bundle (only plain file names are shard paths)', async () => {
    const json = await goodModelJson();
    json.weightsManifest[0]!.paths = ['../good/group1-shard1of1.bin'];
    const uri = await bundle('gs://demo/escape_shard', { 'model.json': JSON.stringify(json) });
    expect(await rejection(uri)).toEqual({
      reason: 'BUNDLE_INVALID',
      message: `Model bundle ${uri} is invalid: model.json has a malformed weightsManifest`,
    });
  });

  it('a shard of the wrong byte length, both shorter and longer', async () => {
    const short = await bundle('gs://demo/short_shard', {
      'group1-shard1of1.bin': Buffer.alloc(8),
    });
    expect((await rejection(short)).message).toBe(
      `Model bundle ${short} is invalid: weight shards hold 8 bytes but model.json describes 16`,
    );
    const long = await bundle('gs://demo/long_shard', { 'group1-shard1of1.bin': Buffer.alloc(24) });
    expect((await rejection(long)).message).toBe(
      `Model bundle ${long} is invalid: weight shards hold 24 bytes but model.json describes 16`,
    );
  });

  it('a model.json declaring more parameters than the limit, refused before any shard is read', async () => {
    // The shard it names does not exist: a refusal after reading it would say so instead.
    const uri = 'gs://demo/oversized';
    await storage.write(`${uri}/model.json`, OVERSIZED_MODEL_JSON);
    expect(await rejection(uri)).toEqual({
      reason: 'MODEL_TOO_LARGE',
      message: `${uri}/model.json declares ${OVERSIZED_PARAMS} parameters, over the limit of 100,000,000 (STRATUS_MAX_MODEL_PARAMS)`,
    });
  });

  it('shards larger than the manifest describes, refused from their sizes', async () => {
    const uri = await bundle('gs://demo/big_shard', {
      'group1-shard1of1.bin': Buffer.alloc(4096),
    });
    expect((await rejection(uri)).message).toBe(
      `Model bundle ${uri} is invalid: weight shards hold 4096 bytes but model.json describes 16`,
    );
  });

  it('a stratus.json that is not JSON, naming the file', async () => {
    const uri = await bundle('gs://demo/bad_manifest', { 'stratus.json': 'not json' });
    const { reason, message } = await rejection(uri);
    expect(reason).toBe('BUNDLE_INVALID');
    expect(message).toContain(`Model bundle ${uri} is invalid: `);
    expect(message).toContain('stratus.json');
  });

  it('is never written with a manifest readers would refuse (a NaN mean is null in JSON)', async () => {
    const uri = 'gs://demo/nan_mean';
    const input = tf.input({ shape: [1], name: 'x' });
    const output = tf.layers.dense({ units: 1, name: 'y' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const manifest: StratusManifest = {
      format: 'stratus-bundle',
      version: 1,
      algorithm: 'linear_regressor',
      preprocessing: {
        version: 1,
        features: [{ kind: 'numeric', name: 'x', mean: Number.NaN, std: 1, hasMissing: false }],
        label: { kind: 'regression', name: 'y', mean: 0, std: 1 },
        inputShape: [1],
      },
      metrics: {},
      hyperparameters: {},
      trainingData: 'gs://demo/data.csv',
      epochs: 1,
      tfjsVersion: tf.version.tfjs,
      backend: tf.getBackend(),
      createTime: new Date(0).toISOString(),
    };
    await expect(exportBundle(storage, uri, model, manifest)).rejects.toThrow(
      `Model bundle ${uri} is invalid: stratus.json field "preprocessing.features[0].mean" must be a number (got null)`,
    );
    model.dispose();
    expect(await storage.exists(`${uri}/stratus.json`)).toBe(false);
    expect(await storage.exists(`${uri}/model.json`)).toBe(false);
  });
});
