import type { Job } from '@stratus/spec';

/** A batch prediction job's progress, as numbers (the API's int64 strings parsed). */
export interface PredictionProgress {
  /** Rows read so far, results and errors, running shards included. */
  readonly processed: number;
  /** Rows in the input; 0 until the job is planned. */
  readonly total: number;
  /** processed / total as a whole percentage in [0, 100]; 0 while the total is unknown. */
  readonly percent: number;
  readonly rowsPerSecond: number | undefined;
  readonly completedShards: number;
  readonly shardCount: number;
  readonly predictionCount: number;
  readonly errorCount: number;
  readonly nodeHours: number | undefined;
}

/** An int64 the API writes as a decimal string; 0 when absent or not a number. */
const count = (value: string | undefined): number => {
  const n = Number(value ?? '0');
  return Number.isFinite(n) ? n : 0;
};

/**
 * The progress of a job with `predictionInput`, from its `predictionOutput`
 * (all zeros before the first poll reports any).
 */
export const predictionProgress = (job: Job): PredictionProgress => {
  const output = job.predictionOutput ?? {};
  const processed = count(output.processedCount);
  const total = count(output.totalCount);
  // Floor, so 100% means every row is done rather than 99.6% rounded up.
  const percent = total > 0 ? Math.min(100, Math.floor((processed / total) * 100)) : 0;
  return {
    processed,
    total,
    percent,
    rowsPerSecond: output.rowsPerSecond,
    completedShards: output.completedShardCount ?? 0,
    shardCount: output.shardCount ?? 0,
    predictionCount: count(output.predictionCount),
    errorCount: count(output.errorCount),
    nodeHours: output.nodeHours,
  };
};

/** `1,234 / 5,000 rows (24%)`, or `not planned yet` before the total is known. */
export const progressSummary = (progress: PredictionProgress): string =>
  progress.total === 0 && progress.processed === 0
    ? 'not planned yet'
    : `${progress.processed.toLocaleString('en-US')} / ${progress.total.toLocaleString('en-US')} rows (${progress.percent}%)`;

/** Which model a prediction job runs, as the user named it: version, model or bundle URI. */
export const predictionModel = (job: Job): string => {
  const input = job.predictionInput;
  return input?.versionName ?? input?.modelName ?? input?.uri ?? '—';
};
