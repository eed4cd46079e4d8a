import { UsageError } from '../cli-errors.js';
import type { ActionHandler } from '../context.js';
import { JOB_VIEW_SUBMITTED } from './job-views.js';
import { predictionJobFromFlags, type PredictionFlags } from './prediction-flags.js';
import { followPrediction } from './prediction-progress.js';
import { finishStreamedJob } from './stream-job.js';

interface SubmitPredictionOptions extends PredictionFlags {
  readonly streamLogs?: boolean;
  readonly async?: boolean;
}

/**
 * `stratus jobs submit prediction JOB`: build `predictionInput` from the
 * flags, check it as the API does (a problem is a usage error naming the
 * flag), submit, and with `--stream-logs` follow its progress to the end
 * (exit 0 only if it SUCCEEDED).
 */
export const submitPrediction: ActionHandler<SubmitPredictionOptions> = async (
  ctx,
  args,
  options,
) => {
  if (options.streamLogs === true && options.async === true) {
    throw new UsageError('--stream-logs and --async contradict each other; pick one');
  }
  const jobId = args[0] as string;
  const { project } = await ctx.session.cliConfig();
  const input = predictionJobFromFlags(jobId, options, project);
  const client = await ctx.session.client();
  const job = await client.jobs.create(input);
  ctx.printer.info(`Job [${job.jobId}] submitted successfully.`);
  if (options.streamLogs !== true) {
    await ctx.printer.resource(job, JOB_VIEW_SUBMITTED);
    ctx.printer.info(
      `View its status with: stratus jobs describe ${job.jobId}\n` +
        `or follow its progress with: stratus jobs stream-logs ${job.jobId}`,
    );
    return;
  }
  return finishStreamedJob(ctx, await followPrediction(ctx, client, job.jobId));
};
