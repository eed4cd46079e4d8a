import {
  fieldError,
  isStratusError,
  shardOutputNames,
  type FieldViolation,
  type PredictionShard,
} from '@stratus/spec';
import { parseStoragePrefixUri, type Storage } from '@stratus/storage';

const RESULTS_PREFIX = 'prediction.results-';

/** `outputPath` as a folder prefix: with exactly one trailing `/`. */
const folderOf = (outputPath: string): string =>
  outputPath.endsWith('/') ? outputPath : `${outputPath}/`;

/** The URI of `name` (e.g. a `shardOutputNames` entry) inside `outputPath`. */
export const outputUri = (outputPath: string, name: string): string =>
  `${folderOf(outputPath)}${name}`;

/** What is wrong with a job's `outputPath`; `HOLDS_RESULTS` is acceptable to a `resume` job. */
export interface OutputProblem extends FieldViolation {
  readonly reason: 'INVALID_URI' | 'HOLDS_RESULTS';
}

const FIELD = 'predictionInput.outputPath';

/**
 * The problems of `outputPath` for a new job: a malformed URI, or a folder
 * that already holds `prediction.results-*` objects (which the API refuses
 * unless the job sets `resume`). Empty when the path is fine.
 */
export const outputProblems = async (
  storage: Storage,
  outputPath: string,
): Promise<OutputProblem[]> => {
  const prefix = `${folderOf(outputPath)}${RESULTS_PREFIX}`;
  try {
    parseStoragePrefixUri(prefix);
  } catch (error) {
    const detail = isStratusError(error) ? String(error.context['detail']) : String(error);
    return [{ field: FIELD, description: `"${outputPath}" ${detail}`, reason: 'INVALID_URI' }];
  }
  const found: string[] = [];
  for await (const stat of storage.listAll(prefix)) {
    found.push(stat.uri);
  }
  if (found.length === 0) return [];
  const description = `"${outputPath}" already holds ${found.length} results object(s) (${found[0]}${found.length > 1 ? ', …' : ''}); choose another path, or set resume to finish that job`;
  return [{ field: FIELD, description, reason: 'HOLDS_RESULTS' }];
};

/**
 * The indexes of `shards` whose results object exists in `outputPath`: the
 * shards a resumed job skips (a shard writes its results object last).
 */
export const completedShards = async (
  storage: Storage,
  outputPath: string,
  shards: readonly PredictionShard[],
): Promise<number[]> => {
  const prefix = `${folderOf(outputPath)}${RESULTS_PREFIX}`;
  try {
    parseStoragePrefixUri(prefix);
  } catch (error) {
    const detail = isStratusError(error) ? String(error.context['detail']) : String(error);
    throw fieldError('INVALID_JOB_SPEC', FIELD, `"${outputPath}" ${detail}`);
  }
  const present = new Set<string>();
  for await (const stat of storage.listAll(prefix)) present.add(stat.uri);
  return shards
    .filter((shard) =>
      present.has(outputUri(outputPath, shardOutputNames(shard.index, shard.count).results)),
    )
    .map((shard) => shard.index);
};
