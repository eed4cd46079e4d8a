import { UsageError } from '../cli-errors.js';
import { confirmContinue } from '../confirm.js';
import type { ActionHandler } from '../context.js';
import { printSummary, summarizeJob } from './job-summary.js';
import { JOB_DESCRIBE_VIEW, JOB_LIST_VIEW, JOB_VIEW_SUBMITTED, jobPath } from './job-views.js';
import { collectList, printList, type ListFlags } from './list-output.js';
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

/** `stratus jobs list [--filter] [--limit] [--page-size] [--sort-by] [--uri]`, newest first. */
export const listJobs: ActionHandler<ListFlags> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const jobs = await collectList(async (query) => {
    const page = await client.jobs.list(query);
    return { items: page.jobs, nextPageToken: page.nextPageToken };
  }, options);
  await printList(ctx, jobs, JOB_LIST_VIEW, options, (job) => jobPath(client.project, job.jobId));
};

/** `stratus jobs cancel JOB`: running trials are stopped, queued ones dropped. */
export const cancelJob: ActionHandler = async (ctx, args) => {
  await confirmContinue(ctx, `Job [${args[0] as string}] will be cancelled.`);
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
