import type { Logger } from '@stratus/spec';
import { StratusError } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import type { DatasetCache } from './dataset-cache.js';
import type { DataSplit } from './data-split.js';
import type { LabelTask } from './label-stats.js';
import type { Preprocessing } from '@stratus/bundle';

/** What to read and how; the built-in algorithm fields map onto these one to one. */
export interface DataOptions {
  /** `gs://` URI of a CSV / JSON Lines file, or an image folder prefix (`gs://b/images/`). */
  readonly trainingData: string;
  /** Separate validation data of the same kind; when set, `validationSplit` is not used. */
  readonly validationData?: string;
  /** Required for tables. */
  readonly labelColumn?: string;
  /** Features in input order. @defaultValue every column but the label */
  readonly featureColumns?: readonly string[];
  /** Image folders are always classification. */
  readonly task: LabelTask;
  /** Fraction of rows held out, chosen by hashing (seed, row index). @defaultValue 0.2 */
  readonly validationSplit?: number;
  /** @defaultValue 0 */
  readonly seed?: number;
  /** @defaultValue from the extension (.csv, .jsonl/.ndjson/.json), a trailing `/` (images), else the content */
  readonly format?: 'csv' | 'jsonl' | 'images';
  /** Image height and width (one number: square). @defaultValue 28 */
  readonly imageSize?: number | readonly [number, number];
  /** 1 = grayscale, 3 = RGB. @defaultValue 1 */
  readonly channels?: 1 | 3;
  /** Categories kept per string column (most frequent first); the rest share the OOV slot. @defaultValue 1000 */
  readonly maxVocabulary?: number;
  /** More distinct label values than this is an error. @defaultValue 1000 */
  readonly maxClasses?: number;
  /** Data whose file or featurized size exceeds this is streamed instead of held in memory. @defaultValue 67108864 (64 MiB) */
  readonly inMemoryMaxBytes?: number;
}

/** Where the data comes from and goes through. */
export interface DataContext {
  readonly storage: Storage;
  readonly cache: DatasetCache;
  readonly logger?: Logger;
  readonly signal?: AbortSignal;
}

/** Rows left out of training and validation, by reason. */
export interface DroppedRows {
  /** Rows whose label was missing (both splits). */
  readonly missingLabel: number;
  /** Validation rows whose class no training row has. */
  readonly unknownLabel: number;
}

/**
 * Data ready to train on. For `model.fit`: when `train.kind === 'memory'`,
 * `train.tensors()` (and `validation.tensors()`); otherwise
 * `model.fitDataset(train.batches(batchSize, {shuffle: true}), {validationData:
 * validation?.batches(batchSize)})`, which streams from local disk in
 * bounded memory. Store `preprocessing` in the bundle; `featurize` applies it.
 */
export interface PreparedData {
  readonly preprocessing: Preprocessing;
  /** Shape of one input (`[features]` or `[h, w, c]`). */
  readonly inputShape: readonly number[];
  /** Classes, or 1 for regression. */
  readonly outputUnits: number;
  readonly trainRows: number;
  readonly validationRows: number;
  readonly droppedRows: DroppedRows;
  readonly train: DataSplit;
  /** Absent when no validation rows exist (no `validationData` and `validationSplit` 0, or too few rows). */
  readonly validation?: DataSplit;
  /** What was read: `csv`, `jsonl` or `images`. */
  readonly format: 'csv' | 'jsonl' | 'images';
}

/** Options with their defaults applied. */
export type ResolvedDataOptions = Required<
  Omit<DataOptions, 'validationData' | 'labelColumn' | 'featureColumns' | 'format' | 'imageSize'>
> &
  Pick<DataOptions, 'validationData' | 'labelColumn' | 'featureColumns' | 'format'> & {
    readonly imageSize: readonly [number, number];
  };

const invalid = (detail: string): StratusError => new StratusError('INVALID_JOB_SPEC', { detail });

/** Apply defaults; out-of-range settings are INVALID_JOB_SPEC. */
export function resolveDataOptions(options: DataOptions): ResolvedDataOptions {
  const size = options.imageSize ?? 28;
  const split = options.validationSplit;
  if (split !== undefined && !(split >= 0 && split < 1)) {
    throw invalid(`validationSplit must be in [0, 1), got ${split}`);
  }
  const [height, width] = typeof size === 'number' ? [size, size] : size;
  for (const n of [height, width]) {
    if (!Number.isInteger(n) || n < 1 || n > 4096) {
      throw invalid(`imageSize must be integers in [1, 4096], got ${JSON.stringify(size)}`);
    }
  }
  if (options.channels !== undefined && options.channels !== 1 && options.channels !== 3) {
    throw invalid(`channels must be 1 or 3, got ${String(options.channels)}`);
  }
  return {
    ...options,
    validationSplit: options.validationData === undefined ? (options.validationSplit ?? 0.2) : 0,
    seed: options.seed ?? 0,
    imageSize: [height, width],
    channels: options.channels ?? 1,
    maxVocabulary: options.maxVocabulary ?? 1000,
    maxClasses: options.maxClasses ?? 1000,
    inMemoryMaxBytes: options.inMemoryMaxBytes ?? 64 * 1024 * 1024,
  };
}
