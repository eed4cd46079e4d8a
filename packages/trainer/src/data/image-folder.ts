import { readFile } from 'node:fs/promises';
import type { ObjectStat, Storage } from '@stratus/storage';
import type { DatasetCache } from './dataset-cache.js';
import {
  decodeImage,
  ImageDecodeError,
  type ImageGeometry,
  writeImageInput,
} from '@stratus/bundle';
import { datasetError } from './dataset-error.js';
import { compareText, sortClasses } from './text.js';
import type { ExampleBlock } from './example-blocks.js';

const IMAGE_NAME = /\.(png|jpe?g)$/i;
/** Downloads in flight at once when filling the cache. */
const FETCH_CONCURRENCY = 8;
/** Images decoded per block in pass 2. */
const BLOCK_IMAGES = 256;

/** One image of a folder and its class (the sub-folder it is in). */
export interface ImageEntry {
  readonly uri: string;
  readonly label: string;
  readonly stat: ObjectStat;
}

/** The images under `prefix/<label>/`, sorted by URI, and the classes. */
export interface ImageListing {
  readonly entries: readonly ImageEntry[];
  readonly classes: readonly string[];
  /** Objects that are not PNG/JPEG files inside a class folder. */
  readonly ignored: number;
}

/** List `gs://b/prefix/<label>/*.png|*.jpg|*.jpeg`; anything else is skipped and counted. */
export async function listImageFolder(storage: Storage, prefixUri: string): Promise<ImageListing> {
  const prefix = prefixUri.endsWith('/') ? prefixUri : `${prefixUri}/`;
  const entries: ImageEntry[] = [];
  let ignored = 0;
  for await (const stat of storage.listAll(prefix)) {
    const parts = stat.uri.slice(prefix.length).split('/');
    const [label, file] = parts;
    if (parts.length !== 2 || label === undefined || label === '' || !IMAGE_NAME.test(file ?? '')) {
      ignored += 1;
      continue;
    }
    entries.push({ uri: stat.uri, label, stat });
  }
  entries.sort((a, b) => compareText(a.uri, b.uri));
  if (entries.length === 0) {
    throw datasetError(
      prefix,
      `it is empty: no PNG or JPEG images in class folders (expected ${prefix}<label>/<image>.png)`,
    );
  }
  const classes = sortClasses(new Set(entries.map((e) => e.label)));
  if (classes.length < 2) {
    throw datasetError(
      prefix,
      `it has only one class folder (${JSON.stringify(classes[0])}); a classifier needs at least two`,
    );
  }
  return { entries, classes, ignored };
}

/** Copy every image into the cache; returns the local paths in entry order. */
export async function cacheImages(
  storage: Storage,
  cache: DatasetCache,
  entries: readonly ImageEntry[],
  signal?: AbortSignal,
): Promise<string[]> {
  const paths = new Array<string>(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < entries.length) {
      const i = next++;
      const entry = entries[i] as ImageEntry;
      paths[i] = (await cache.fetch(storage, entry.uri, { stat: entry.stat, signal })).path;
    }
  };
  await Promise.all(Array.from({ length: FETCH_CONCURRENCY }, worker));
  return paths;
}

/** A cached image, its class index and its URI (for error messages). */
export interface LocalImage {
  readonly path: string;
  readonly uri: string;
  readonly classIndex: number;
}

/** Decode and featurize images in blocks; a corrupted image is DATASET_INVALID naming its URI. */
export async function* imageExamples(
  images: readonly LocalImage[],
  geometry: ImageGeometry,
  classCount: number,
  signal?: AbortSignal,
): AsyncGenerator<ExampleBlock> {
  const xw = geometry.height * geometry.width * geometry.channels;
  for (let start = 0; start < images.length; start += BLOCK_IMAGES) {
    signal?.throwIfAborted();
    const block = images.slice(start, start + BLOCK_IMAGES);
    const xs = new Float32Array(block.length * xw);
    const ys = new Float32Array(block.length * classCount);
    for (const [i, image] of block.entries()) {
      try {
        writeImageInput(decodeImage(await readFile(image.path)), geometry, xs, i * xw);
      } catch (error) {
        if (error instanceof ImageDecodeError) {
          throw datasetError(image.uri, `the image ${error.message}`, error);
        }
        throw error;
      }
      ys[i * classCount + image.classIndex] = 1;
    }
    yield { xs, ys, count: block.length };
  }
}
