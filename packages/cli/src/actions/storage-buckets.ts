import type { Bucket, BucketGrantRole } from '@stratus/spec';
import { UsageError } from '../cli-errors.js';
import type { ActionHandler } from '../context.js';
import type { ResourceView } from '../output/printer.js';
import { sortAndLimit, type SortLimitFlags } from './list-output.js';

const BUCKET_VIEW: ResourceView = {
  columns: [{ field: 'name' }, { field: 'owner' }, { field: 'role' }, { field: 'grants' }],
};

/** `READER`/`WRITER` grants as `alpha:READER,beta:WRITER` for the table. */
const tableRow = (bucket: Bucket): Record<string, string> => ({
  name: `gs://${bucket.name}`,
  owner: bucket.owner,
  role: bucket.role,
  grants: (bucket.grants ?? []).map((g) => `${g.project}:${g.role}`).join(','),
});

/** The bucket name of `gs://b` (a bare `b` too); a usage error for anything with a path. */
const bucketArg = (arg: unknown): string => {
  const text = String(arg);
  const name = text.startsWith('gs://') ? text.slice('gs://'.length).replace(/\/$/, '') : text;
  if (name.length === 0 || name.includes('/')) {
    throw new UsageError(`${text} is not a bucket (expected gs://BUCKET)`);
  }
  return name;
};

const show = async (ctx: Parameters<ActionHandler>[0], bucket: Bucket): Promise<void> => {
  if (ctx.printer.explicitFormat) await ctx.printer.resource(bucket, BUCKET_VIEW);
};

/** `stratus storage mb gs://BUCKET`: claim a bucket for the project. */
export const storageMb: ActionHandler = async (ctx, args) => {
  const client = await ctx.session.client();
  const bucket = await client.buckets.claim(bucketArg(args[0]));
  ctx.printer.info(`Bucket gs://${bucket.name} belongs to project ${client.project}.`);
  await show(ctx, bucket);
};

/** `stratus storage ls-buckets`: the project's buckets (with grants), then those granted to it. */
export const storageLsBuckets: ActionHandler<SortLimitFlags> = async (ctx, _args, options) => {
  const client = await ctx.session.client();
  const buckets = sortAndLimit((await client.buckets.list()).buckets, options);
  if (ctx.printer.explicitFormat) {
    await ctx.printer.resources(buckets, BUCKET_VIEW);
    return;
  }
  await ctx.printer.resources(buckets.map(tableRow), BUCKET_VIEW);
};

interface GrantOptions {
  readonly grantee: string;
  readonly role: BucketGrantRole;
}

/** `stratus storage grant gs://BUCKET --grantee P --role READER|WRITER`. */
export const storageGrant: ActionHandler<GrantOptions> = async (ctx, args, options) => {
  const client = await ctx.session.client();
  const bucket = await client.buckets.grant(bucketArg(args[0]), options.grantee, options.role);
  ctx.printer.info(`Granted ${options.role} on gs://${bucket.name} to project ${options.grantee}.`);
  await show(ctx, bucket);
};

/** `stratus storage revoke gs://BUCKET --grantee P`. */
export const storageRevoke: ActionHandler<Pick<GrantOptions, 'grantee'>> = async (
  ctx,
  args,
  options,
) => {
  const client = await ctx.session.client();
  const bucket = await client.buckets.revoke(bucketArg(args[0]), options.grantee);
  ctx.printer.info(`Revoked project ${options.grantee}'s access to gs://${bucket.name}.`);
  await show(ctx, bucket);
};
