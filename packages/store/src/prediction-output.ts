import type { BatchPlan, PredictionInput, PredictionOutput } from '@stratus/spec';
import { compact } from './compact.js';
import type { TrialRecord } from './trial-codec.js';

const HOUR_MS = 3_600_000;

/** Milliseconds between two stored timestamps; 0 when either is missing. */
const elapsedMs = (from: string | undefined, to: string | undefined): number =>
  from === undefined || to === undefined ? 0 : Math.max(0, Date.parse(to) - Date.parse(from));

/**
 * A batch prediction job's `predictionOutput`, from its stored plan and its
 * shards (trials): results and errors of the finished shards, rows read so
 * far (running shards included), shard counts, node hours and rows/s.
 */
export const predictionOutput = (
  input: PredictionInput,
  meta: Readonly<Record<string, string>>,
  shards: readonly TrialRecord[],
  now: Date = new Date(),
): PredictionOutput => {
  const plan = meta.batch === undefined ? undefined : (JSON.parse(meta.batch) as BatchPlan);
  const clock = meta.endTime ?? now.toISOString();
  let predictions = 0;
  let errors = 0;
  let processed = plan?.skippedRows ?? 0;
  let nodeMs = 0;
  let completed = plan?.skipped.length ?? 0;
  for (const shard of shards) {
    processed += shard.shard?.rowsDone ?? 0;
    nodeMs += elapsedMs(
      shard.startTime,
      shard.endTime ?? (shard.state === 'RUNNING' ? clock : undefined),
    );
    if (shard.state !== 'SUCCEEDED') continue;
    completed += 1;
    predictions += shard.shard?.predictionCount ?? 0;
    errors += shard.shard?.errorCount ?? 0;
  }
  const runMs = elapsedMs(meta.startTime, clock);
  return compact<PredictionOutput>({
    outputPath: input.outputPath,
    predictionCount: String(predictions),
    errorCount: String(errors),
    nodeHours: nodeMs / HOUR_MS,
    totalCount: plan === undefined ? undefined : String(plan.totalRows),
    processedCount: String(processed),
    shardCount: plan === undefined ? undefined : plan.shards.length + plan.skipped.length,
    completedShardCount: plan === undefined ? undefined : completed,
    rowsPerSecond: runMs > 0 ? (processed * 1000) / runMs : undefined,
  });
};
