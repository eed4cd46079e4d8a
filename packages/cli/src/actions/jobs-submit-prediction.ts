import { UsageError } from '../cli-errors.js';
import type { ActionHandler } from '../context.js';
import { predictionJobFromFlags, type PredictionFlags } from './prediction-flags.js';
import { followPrediction } from './prediction-progress.js';
import { submitAndFollow } from './stream-job.js';

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
  return submitAndFollow(ctx, client, input, options, 'progress', (id) =>
    followPrediction(ctx, client, id),
  );
};
