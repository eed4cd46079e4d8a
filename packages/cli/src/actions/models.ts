import type { Model } from '@stratus/spec';
import type { ActionHandler } from '../context.js';
import { MODEL_DESCRIBE_VIEW, MODEL_LIST_VIEW, basename } from './model-views.js';

interface CreateModelOptions {
  readonly description?: string;
  readonly labels?: Record<string, string>;
  readonly regions?: string;
}

/** `stratus models create MODEL [--description] [--labels k=v] [--regions R]`. */
export const createModel: ActionHandler<CreateModelOptions> = async (ctx, args, options) => {
  const client = await ctx.session.client();
  const model = await client.models.create({
    name: args[0] as string,
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.labels === undefined ? {} : { labels: options.labels }),
    ...(options.regions === undefined ? {} : { regions: [options.regions] }),
  });
  ctx.printer.info(`Created model [${basename(model.name)}].`);
  await ctx.printer.resource(model, MODEL_DESCRIBE_VIEW);
};

/** `stratus models list [--limit N]`, in name order, page after page. */
export const listModels: ActionHandler<{ limit?: number }> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const models: Model[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.models.list({
      pageSize: Math.min(100, limit - models.length),
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    models.push(...page.models);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && models.length < limit);
  if (models.length === 0 && !ctx.printer.explicitFormat) {
    ctx.printer.info('Listed 0 items.');
    return;
  }
  await ctx.printer.resources(models.slice(0, limit), MODEL_LIST_VIEW);
};

/** `stratus models describe MODEL`. */
export const describeModel: ActionHandler = async (ctx, args) => {
  const client = await ctx.session.client();
  await ctx.printer.resource(await client.models.get(args[0] as string), MODEL_DESCRIBE_VIEW);
};

/** `stratus models delete MODEL`: refused (MODEL_HAS_VERSIONS) while it has versions. */
export const deleteModel: ActionHandler = async (ctx, args) => {
  const client = await ctx.session.client();
  await client.models.delete(args[0] as string);
  ctx.printer.info(`Deleted model [${args[0] as string}].`);
};
