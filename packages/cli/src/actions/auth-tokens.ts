import { confirmContinue } from '../confirm.js';
import type { ActionHandler } from '../context.js';
import type { ResourceView } from '../output/printer.js';
import { sortAndLimit, type SortLimitFlags } from './list-output.js';

const TOKEN_VIEW: ResourceView = {
  columns: [
    { field: 'tokenId' },
    { field: 'project' },
    { field: 'role' },
    { field: 'description' },
    { field: 'createTime', header: 'CREATED' },
  ],
};

interface CreateOptions {
  readonly role: 'viewer' | 'editor' | 'admin';
  /** Grant every project (`*`; admin tokens only). */
  readonly allProjects?: boolean;
  readonly description?: string;
}

/**
 * `stratus auth tokens create --role R [--all-projects]`: prints the new
 * secret once (stdout), its grant on stderr.
 */
export const tokensCreate: ActionHandler<CreateOptions> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const created = await client.tokens.create({
    project: options.allProjects === true ? '*' : client.project,
    role: options.role,
    ...(options.description === undefined ? {} : { description: options.description }),
  });
  if (ctx.printer.explicitFormat) {
    await ctx.printer.resource(created, TOKEN_VIEW);
    return;
  }
  ctx.printer.info(
    `Created token [${created.tokenId}] (${created.role} on ${created.project}); it is shown only once:`,
  );
  ctx.printer.out(`${created.token}\n`);
};

/** `stratus auth tokens list [--sort-by] [--limit]`. */
export const tokensList: ActionHandler<SortLimitFlags> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const { tokens } = await client.tokens.list();
  await ctx.printer.resources(sortAndLimit(tokens, options), TOKEN_VIEW);
};

/** `stratus auth tokens revoke TOKEN_ID`. */
export const tokensRevoke: ActionHandler = async (ctx, args) => {
  const tokenId = args[0] as string;
  await confirmContinue(ctx, `Token [${tokenId}] will be revoked; clients using it get 401.`);
  const client = await ctx.session.client();
  await client.tokens.revoke(tokenId);
  ctx.printer.info(`Revoked token [${tokenId}].`);
};
