import type { tf } from './backend/tf.js';
import type { Storage } from '@stratus/storage';
import { MANIFEST_FILE, parseManifest, type StratusManifest } from './manifest.js';
import { storageIOHandler } from './storage-io.js';

/**
 * Write a model bundle to `modelDir`: `stratus.json` first, then the weight
 * shards, then `model.json`, whose presence marks the bundle complete. The
 * manifest is checked as readers will parse it (a NaN becomes null in JSON):
 * one they would refuse is BUNDLE_INVALID here, and nothing is written.
 */
export async function exportBundle(
  storage: Storage,
  modelDir: string,
  model: tf.LayersModel,
  manifest: StratusManifest,
): Promise<void> {
  const dir = modelDir.replace(/\/+$/, '');
  const text = JSON.stringify(manifest, null, 2);
  parseManifest(dir, text);
  await storage.write(`${dir}/${MANIFEST_FILE}`, text, { contentType: 'application/json' });
  await model.save(storageIOHandler(storage, dir));
}
