import { UsageError } from '../cli-errors.js';
import type { ActionHandler } from '../context.js';
import { readInstances, type InstanceFlags } from './instances.js';
import { printPredictions } from './predictions-view.js';

interface PredictOptions extends InstanceFlags {
  readonly model: string;
  readonly version?: string;
  readonly signatureName?: string;
}

/**
 * `stratus predict --model M [--version V] --json-instances FILE|-` (or
 * `--json-request FILE`): the server's `:predict`, printed as `local predict`
 * prints (label and probabilities for classifiers).
 */
export const predict: ActionHandler<PredictOptions> = async (ctx, _args, options) => {
  if (options.version === '') throw new UsageError("option '--version <version>' argument missing");
  const instances = await readInstances(ctx, options);
  const client = await ctx.session.client();
  const response = await client.predict(options.model, instances, {
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.signatureName === undefined ? {} : { signatureName: options.signatureName }),
  });
  await printPredictions(ctx, response.predictions);
};
