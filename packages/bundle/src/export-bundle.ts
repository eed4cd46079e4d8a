import type { tf } from './backend/tf.js';
import type { Storage } from '@stratus/storage';
import { MANIFEST_FILE, type StratusManifest } from './manifest.js';
import { storageIOHandler } from './storage-io.js';

/**
 * Write a model bundle to `modelDir`: `stratus.json` first, then the weight
 * shards, then `model.json`, whose presence marks the bundle complete.
 */
export async function exportBundle(
  storage: Storage,
  modelDir: string,
  model: tf.LayersModel,
  manifest: StratusManifest,
): Promise<void> {
  const dir = modelDir.replace(/\/+$/, '');
  await storage.write(`${dir}/${MANIFEST_FILE}`, JSON.stringify(manifest, null, 2), {
    contentType: 'application/json',
  });
  await model.save(storageIOHandler(storage, dir));
}
