import { confirmContinue } from '../confirm.js';
import type { ActionHandler } from '../context.js';
import { collectList, printList, type ListFlags } from './list-output.js';
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

/** `stratus models list [--filter] [--limit] [--page-size] [--sort-by] [--uri]`, in name order. */
export const listModels: ActionHandler<ListFlags> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const models = await collectList(async (query) => {
    const page = await client.models.list(query);
    return { items: page.models, nextPageToken: page.nextPageToken };
  }, options);
  await printList(ctx, models, MODEL_LIST_VIEW, options, (model) => model.name);
};

/** `stratus models describe MODEL`. */
export const describeModel: ActionHandler = async (ctx, args) => {
  const client = await ctx.session.client();
  await ctx.printer.resource(await client.models.get(args[0] as string), MODEL_DESCRIBE_VIEW);
};

/** `stratus models delete MODEL`: refused (MODEL_HAS_VERSIONS) while it has versions. */
export const deleteModel: ActionHandler = async (ctx, args) => {
  await confirmContinue(ctx, `This will delete model [${args[0] as string}].`);
  const client = await ctx.session.client();
  await client.models.delete(args[0] as string);
  ctx.printer.info(`Deleted model [${args[0] as string}].`);
};
