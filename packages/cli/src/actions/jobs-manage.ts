import type { Job } from '@stratus/spec';
import { UsageError } from '../cli-errors.js';
import type { ActionHandler } from '../context.js';
import { printSummary, summarizeJob } from './job-summary.js';
import { JOB_DESCRIBE_VIEW, JOB_LIST_VIEW, JOB_VIEW_SUBMITTED } from './job-views.js';
import { followPrediction } from './prediction-progress.js';
import { finishStreamedJob, streamJob } from './stream-job.js';

/** `stratus jobs describe JOB [--summarize]`. */
export const describeJob: ActionHandler<{ summarize?: boolean }> = async (ctx, args, options) => {
  const client = await ctx.session.client();
  const job = await client.jobs.get(args[0] as string);
  if (options.summarize === true) {
    await printSummary(ctx.printer, ctx.globals.format, summarizeJob(job));
    return;
  }
  await ctx.printer.resource(job, JOB_DESCRIBE_VIEW);
};

interface ListOptions {
  readonly filter?: string;
  readonly limit?: number;
  readonly pageSize?: number;
}

/** `stratus jobs list [--filter state=RUNNING] [--limit N] [--page-size N]`, newest first. */
export const listJobs: ActionHandler<ListOptions> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const pageSize = options.pageSize ?? Math.min(100, Number.isFinite(limit) ? limit : 100);
  const jobs: Job[] = [];
  for await (const job of client.jobs.listAll({
    pageSize,
    ...(options.filter === undefined ? {} : { filter: options.filter }),
  })) {
    jobs.push(job);
    if (jobs.length >= limit) break;
  }
  if (jobs.length === 0 && !ctx.printer.explicitFormat) {
    ctx.printer.info('Listed 0 items.');
    return;
  }
  await ctx.printer.resources(jobs, JOB_LIST_VIEW);
};

/** `stratus jobs cancel JOB`: running trials are stopped, queued ones dropped. */
export const cancelJob: ActionHandler = async (ctx, args) => {
  const client = await ctx.session.client();
  const job = await client.jobs.cancel(args[0] as string);
  ctx.printer.info(`Cancelled job [${job.jobId}]; it is ${job.state}.`);
  await ctx.printer.resource(job, JOB_VIEW_SUBMITTED);
};

/**
 * `stratus jobs stream-logs JOB [--trial N]`: follow logs and per-epoch
 * metrics until the job ends; exit 0 only if it SUCCEEDED. A batch
 * prediction job (no logs or metrics of its own) shows its progress instead.
 */
export const streamLogs: ActionHandler<{ trial?: string }> = async (ctx, args, options) => {
  const client = await ctx.session.client();
  const jobId = args[0] as string;
  const started = await client.jobs.get(jobId);
  if (started.predictionInput !== undefined) {
    if (options.trial !== undefined) {
      throw new UsageError('--trial applies to training jobs; this is a batch prediction job');
    }
    return finishStreamedJob(ctx, await followPrediction(ctx, client, jobId));
  }
  const job = await streamJob(ctx, client, jobId, options);
  return finishStreamedJob(ctx, job);
};
