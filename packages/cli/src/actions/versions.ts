import type { Version } from '@stratus/spec';
import type { ActionHandler } from '../context.js';
import { VERSION_DESCRIBE_VIEW, VERSION_LIST_VIEW } from './model-views.js';

interface ModelFlag {
  readonly model: string;
}

/** `stratus versions list --model M [--limit N]`, in name order. */
export const listVersions: ActionHandler<ModelFlag & { limit?: number }> = async (
  ctx,
  _args,
  options,
) => {
  const client = await ctx.session.client();
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const versions: Version[] = [];
  let pageToken: string | undefined;
  do {
    const page = await client.versions.list(options.model, {
      pageSize: Math.min(100, limit - versions.length),
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    versions.push(...page.versions);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined && versions.length < limit);
  if (versions.length === 0 && !ctx.printer.explicitFormat) {
    ctx.printer.info('Listed 0 items.');
    return;
  }
  await ctx.printer.resources(versions.slice(0, limit), VERSION_LIST_VIEW);
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
  const client = await ctx.session.client();
  await client.versions.delete(options.model, args[0] as string);
  ctx.printer.info(`Deleted version [${args[0] as string}] of model [${options.model}].`);
};
