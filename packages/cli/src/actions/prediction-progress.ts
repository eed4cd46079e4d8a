import { setTimeout as sleep } from 'node:timers/promises';
import type { StratusClient } from '@stratus/client';
import { isTerminalState, type Job } from '@stratus/spec';
import type { CommandContext } from '../context.js';

/** How often a followed batch prediction job is read. */
export const PREDICTION_POLL_MS = 500;

/** A batch prediction job's progress, from its `predictionOutput`. */
export interface PredictionProgress {
  readonly state: string;
  readonly processed: number;
  /** Rows in the input; undefined until the job is planned. */
  readonly total?: number;
  readonly rowsPerSecond?: number;
  readonly completedShards: number;
  readonly shards?: number;
  readonly predictions: number;
  readonly errors: number;
}

/** The progress a job reports (zeros before its shards start). */
export const progressOf = (job: Job): PredictionProgress => {
  const output = job.predictionOutput;
  return {
    state: job.state,
    processed: Number(output?.processedCount ?? 0),
    ...(output?.totalCount === undefined ? {} : { total: Number(output.totalCount) }),
    ...(output?.rowsPerSecond === undefined ? {} : { rowsPerSecond: output.rowsPerSecond }),
    completedShards: output?.completedShardCount ?? 0,
    ...(output?.shardCount === undefined ? {} : { shards: output.shardCount }),
    predictions: Number(output?.predictionCount ?? 0),
    errors: Number(output?.errorCount ?? 0),
  };
};

/** The share of rows processed, 0–100 (0 while the total is unknown). */
const percentOf = (p: PredictionProgress): number =>
  p.total === undefined || p.total === 0
    ? 0
    : Math.min(100, Math.floor((p.processed * 100) / p.total));

/**
 * `RUNNING 2250/5000 rows (45%) 1234 rows/s, shards 3/12, 2240 predictions, 10 errors`:
 * the state, then the counts the job knows so far.
 */
export const progressLine = (p: PredictionProgress): string => {
  const rows =
    p.total === undefined
      ? `${p.processed} rows`
      : `${p.processed}/${p.total} rows (${percentOf(p)}%)`;
  const rate = p.rowsPerSecond === undefined ? '' : ` ${Math.round(p.rowsPerSecond)} rows/s`;
  const shards = p.shards === undefined ? '' : `, shards ${p.completedShards}/${p.shards}`;
  return `${p.state} ${rows}${rate}${shards}, ${p.predictions} predictions, ${p.errors} errors`;
};

/** `[#########...........]` for a percentage. */
const bar = (percent: number, width: number): string => {
  const filled = Math.round((percent / 100) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
};

/**
 * Follow a batch prediction job by reading it every `intervalMs` until it
 * ends (or Ctrl-C), and return it in its last state. On a terminal stdout
 * the progress is one bar redrawn in place at each read; elsewhere one line
 * per change of the state or a count (not of rows/s alone); with
 * `--format json` one `{"type": "progress", ...}` object per such change.
 */
export const followPrediction = async (
  ctx: CommandContext,
  client: StratusClient,
  jobId: string,
  intervalMs = PREDICTION_POLL_MS,
): Promise<Job> => {
  const json = ctx.globals.format?.trim() === 'json';
  const stdout = ctx.io.stdout;
  const redraw = !json && stdout.isTTY === true;
  let last = '';
  let drawn = false;
  const show = (job: Job): void => {
    const progress = progressOf(job);
    const line = progressLine(progress);
    // rows/s moves with the clock alone: a change is one of the counts or the state.
    const counts = JSON.stringify({ ...progress, rowsPerSecond: undefined });
    if (counts === last && !redraw) return;
    last = counts;
    if (json) {
      stdout.write(`${JSON.stringify({ type: 'progress', ...progress })}\n`);
    } else if (redraw) {
      // A line wider than the terminal would wrap and break the redraw: the bar goes first.
      const columns = stdout.columns ?? 80;
      const room = columns - line.length - 4;
      const text =
        room >= 10
          ? `${bar(percentOf(progress), Math.min(30, room))} ${line}`
          : line.slice(0, columns - 1);
      stdout.write(`\r${text}\u001b[K`);
      drawn = true;
    } else {
      stdout.write(`${line}\n`);
    }
  };
  const signal = ctx.io.signal;
  try {
    for (;;) {
      const job = await client.jobs.get(jobId);
      show(job);
      if (isTerminalState(job.state) || signal?.aborted === true) return job;
      try {
        await sleep(intervalMs, undefined, signal === undefined ? {} : { signal });
      } catch {
        return await client.jobs.get(jobId);
      }
    }
  } finally {
    if (drawn) stdout.write('\n');
  }
};
