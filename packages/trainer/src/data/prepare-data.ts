import { isStratusError, type ResolvedBuiltinParams } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import {
  resolveDataOptions,
  type DataContext,
  type DataOptions,
  type PreparedData,
} from './data-options.js';
import { prepareImages } from './prepare-images.js';
import { prepareTable } from './prepare-table.js';

/** The data options of a built-in algorithm's resolved parameters. */
export const builtinDataOptions = (params: ResolvedBuiltinParams): DataOptions => ({
  trainingData: params.trainingData,
  task: params.task,
  validationSplit: params.validationSplit,
  seed: params.seed,
  ...(params.validationData === undefined ? {} : { validationData: params.validationData }),
  ...(params.labelColumn === undefined ? {} : { labelColumn: params.labelColumn }),
  ...(params.featureColumns === undefined ? {} : { featureColumns: params.featureColumns }),
  ...(params.imageSize === undefined ? {} : { imageSize: params.imageSize }),
  ...(params.channels === undefined ? {} : { channels: params.channels }),
});

/**
 * Read training (and validation) data from storage through the local cache,
 * infer the schema and preprocessing from the training split, and return
 * splits ready for `model.fit` (small data, in memory) or
 * `model.fitDataset` (streamed from disk in bounded memory).
 */
export async function prepareData(
  options: DataOptions,
  context: DataContext,
): Promise<PreparedData> {
  const resolved = resolveDataOptions(options);
  const images =
    resolved.format === 'images' ||
    (resolved.format === undefined &&
      (await isImageFolder(context.storage, resolved.trainingData)));
  return images ? prepareImages(resolved, context) : prepareTable(resolved, context);
}

/** A URI ending in `/`, or one naming no object but a non-empty prefix, is an image folder. */
async function isImageFolder(storage: Storage, uri: string): Promise<boolean> {
  if (uri.endsWith('/')) return true;
  try {
    await storage.stat(uri);
    return false;
  } catch (error) {
    if (!isStratusError(error) || error.reason !== 'OBJECT_NOT_FOUND') throw error;
    const page = await storage.list(`${uri}/`, { pageSize: 1 });
    if (page.objects.length === 0) throw error;
    return true;
  }
}
