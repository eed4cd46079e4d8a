import { confirmContinue } from '../confirm.js';
import type { ActionHandler } from '../context.js';
import { collectList, printList, type ListFlags } from './list-output.js';
import { VERSION_DESCRIBE_VIEW, VERSION_LIST_VIEW } from './model-views.js';

interface ModelFlag {
  readonly model: string;
}

/** `stratus versions list --model M [--filter] [--limit] [--page-size] [--sort-by] [--uri]`. */
export const listVersions: ActionHandler<ModelFlag & ListFlags> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const versions = await collectList(async (query) => {
    const page = await client.versions.list(options.model, query);
    return { items: page.versions, nextPageToken: page.nextPageToken };
  }, options);
  await printList(ctx, versions, VERSION_LIST_VIEW, options, (version) => version.name);
};

/** `stratus versions describe V --model M`. */
export const describeVersion: ActionHandler<ModelFlag> = async (ctx, args, options) => {
  const client = await ctx.session.client();
  const version = await client.versions.get(options.model, args[0] as string);
  await ctx.printer.resource(version, VERSION_DESCRIBE_VIEW);
};

/** `stratus versions set-default V --model M`: only a READY version. */
export const setDefaultVersion: ActionHandler<ModelFlag> = async (ctx, args, options) => {
  const client = await ctx.session.client();
  const version = await client.versions.setDefault(options.model, args[0] as string);
  ctx.printer.info(`Version [${args[0] as string}] is the default of model [${options.model}].`);
  await ctx.printer.resource(version, VERSION_DESCRIBE_VIEW);
};

/** `stratus versions delete V --model M`: predictors unload it. */
export const deleteVersion: ActionHandler<ModelFlag> = async (ctx, args, options) => {
  await confirmContinue(
    ctx,
    `This will delete version [${args[0] as string}] of model [${options.model}].`,
  );
  const client = await ctx.session.client();
  await client.versions.delete(options.model, args[0] as string);
  ctx.printer.info(`Deleted version [${args[0] as string}] of model [${options.model}].`);
};
