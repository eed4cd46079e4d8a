import type { DataContext, PreparedData, ResolvedDataOptions } from './data-options.js';
import { materialise, streamingSplit, type DataSplit, type SplitSource } from './data-split.js';
import type { Preprocessing } from '@stratus/bundle';
import { datasetError } from './dataset-error.js';
import {
  cacheImages,
  imageExamples,
  listImageFolder,
  type ImageEntry,
  type LocalImage,
} from './image-folder.js';
import { isValidationRow } from './split.js';

/** Image folders: list, cache every image, split by (seed, index in URI order), decode in pass 2. */
export async function prepareImages(
  options: ResolvedDataOptions,
  context: DataContext,
): Promise<PreparedData> {
  const { storage, cache, signal } = context;
  if (options.task !== 'classification') {
    throw datasetError(options.trainingData, 'an image folder can only train a classifier');
  }
  const listing = await listImageFolder(storage, options.trainingData);
  const { classes } = listing;
  const classIndex = new Map(classes.map((c, i) => [c, i]));
  const local = async (entries: readonly ImageEntry[]): Promise<LocalImage[]> => {
    const paths = await cacheImages(storage, cache, entries, signal);
    return entries.map((e, i) => ({
      path: paths[i] as string,
      uri: e.uri,
      classIndex: classIndex.get(e.label) ?? -1,
    }));
  };
  const all = await local(listing.entries);
  let train = all;
  let validation: LocalImage[] = [];
  let unknownLabel = 0;
  if (options.validationData === undefined) {
    const held = all.map((_, i) => isValidationRow(options.seed, i, options.validationSplit));
    train = all.filter((_, i) => !held[i]);
    validation = all.filter((_, i) => held[i]);
  } else {
    const other = await listImageFolder(storage, options.validationData);
    const known = other.entries.filter((e) => classIndex.has(e.label));
    unknownLabel = other.entries.length - known.length;
    validation = await local(known);
  }
  if (train.length === 0) {
    throw datasetError(
      options.trainingData,
      `the training split is empty: all ${all.length} images fell into the validation split`,
    );
  }

  const [height, width] = options.imageSize;
  const { channels } = options;
  const geometry = { height, width, channels };
  const preprocessing: Preprocessing = {
    version: 1,
    features: [{ kind: 'image', name: 'image', height, width, channels }],
    label: { kind: 'classification', name: 'label', classes },
    inputShape: [height, width, channels],
  };
  const outputUnits = classes.length;
  const source = (images: readonly LocalImage[]): SplitSource => ({
    rows: images.length,
    inputShape: preprocessing.inputShape,
    outputUnits,
    blocks: () => imageExamples(images, geometry, outputUnits, signal),
  });
  const featurizedBytes =
    (train.length + validation.length) * (height * width * channels + outputUnits) * 4;
  const inMemory = featurizedBytes <= options.inMemoryMaxBytes;
  const toSplit = async (images: readonly LocalImage[]): Promise<DataSplit> =>
    inMemory ? materialise(source(images)) : streamingSplit(source(images));

  const droppedRows = { missingLabel: 0, unknownLabel };
  context.logger?.info(
    {
      uri: options.trainingData,
      classes: classes.length,
      trainRows: train.length,
      validationRows: validation.length,
      ignoredObjects: listing.ignored,
      inMemory,
    },
    `Read ${train.length} training and ${validation.length} validation images in ${classes.length} classes`,
  );
  return {
    preprocessing,
    inputShape: preprocessing.inputShape,
    outputUnits,
    trainRows: train.length,
    validationRows: validation.length,
    droppedRows,
    train: await toSplit(train),
    ...(validation.length > 0 ? { validation: await toSplit(validation) } : {}),
    format: 'images',
  };
}
