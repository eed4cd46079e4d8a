import { fieldError, type PredictionInput, type PredictionShard } from '@stratus/spec';
import type { Storage } from '@stratus/storage';
import { checkDataFormat } from './data-format.js';
import { expandInputPaths } from './input-paths.js';
import { scanLines, type ObjectScan } from './line-scan.js';

export interface PlanOptions {
  /** Bytes of input per shard, roughly: a shard closes at the first line end past it. */
  readonly shardBytes: number;
}

/** A job's shards, numbered in input order, and the rows they hold together. */
export interface PredictionPlan {
  readonly shards: PredictionShard[];
  readonly totalRows: number;
}

/**
 * Split a batch prediction job's input into shards: the objects `inputPaths`
 * names (wildcards expanded, sorted, each once), each cut at line ends into
 * shards of about `shardBytes`. Reads every object once to count its rows.
 * Throws INVALID_JOB_SPEC naming the field for an unsupported `dataFormat`, a
 * malformed path, a path matching nothing, or inputs without a single row.
 */
export const planPrediction = async (
  storage: Storage,
  input: Pick<PredictionInput, 'dataFormat' | 'inputPaths'>,
  options: PlanOptions,
): Promise<PredictionPlan> => {
  if (!(Number.isFinite(options.shardBytes) && options.shardBytes > 0)) {
    throw new RangeError(`shardBytes must be a positive number, got ${options.shardBytes}`);
  }
  const format = checkDataFormat(input.dataFormat);
  const objects = await expandInputPaths(storage, input.inputPaths);
  const scans: Array<{ uri: string; scan: ObjectScan }> = [];
  for (const object of objects) {
    if (object.size === 0) continue;
    const scan = await scanLines(storage, object.uri, {
      shardBytes: options.shardBytes,
      header: format === 'CSV',
    });
    scans.push({ uri: object.uri, scan });
  }
  const count = scans.reduce((sum, { scan }) => sum + scan.ranges.length, 0);
  const totalRows = scans.reduce((sum, { scan }) => sum + scan.rows, 0);
  if (totalRows === 0) {
    const what = format === 'CSV' ? 'no rows below their header lines' : 'no non-blank lines';
    throw fieldError(
      'INVALID_JOB_SPEC',
      'predictionInput.inputPaths',
      `the ${objects.length} matching object(s) hold ${what}`,
    );
  }
  const shards: PredictionShard[] = [];
  for (const { uri, scan } of scans) {
    for (const range of scan.ranges) {
      shards.push({
        index: shards.length,
        count,
        uri,
        ...range,
        ...(scan.header === undefined ? {} : { header: scan.header }),
      });
    }
  }
  return { shards, totalRows };
};
