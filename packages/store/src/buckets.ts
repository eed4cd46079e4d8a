import {
  StratusError,
  coerceError,
  fieldError,
  isValidProjectId,
  useBucket,
  type Bucket,
  type BucketGrant,
  type BucketGrantRole,
  type Logger,
  type UriUse,
} from '@stratus/spec';
import type { StoreContext } from './context.js';
import {
  CLAIM_BUCKET,
  GRANT_BUCKET,
  RELEASE_BUCKET,
  authorizeBucketsArgs,
  decodeAuthorizeBucketsReply,
  decodeClaimBucketReply,
  decodeGrantBucketReply,
  decodeReleaseBucketReply,
  undoClaimsArgs,
} from './commands/bucket.js';
import { commandArgs } from './commands/command.js';
import { asHash, asStrings, execPipeline } from './redis-util.js';

/**
 * Bucket ownership (docs/reliability.md): a bucket belongs to the first
 * project that claims it, explicitly or by naming it in a request; its owner
 * may grant other projects READER or WRITER.
 */
export interface BucketStore {
  /**
   * Check that `project` may use every URI (unclaimed, owned, or granted the
   * role the access needs; WRITER implies READER), then claim each unclaimed
   * bucket for it, all in one atomic step: a refused call claims nothing.
   * Throws PERMISSION_DENIED naming the first refused use's field and bucket
   * (never the owner), or INVALID_ARGUMENT naming a field whose URI is not
   * `gs://<bucket>…`. Resolves with the buckets this call claimed.
   */
  authorize(project: string, uses: readonly UriUse[]): Promise<{ claimed: string[] }>;
  /** Give back buckets that `authorize` claimed for a request that then failed (grantless ones only). */
  undoClaims(project: string, buckets: readonly string[]): Promise<void>;
  /**
   * Authorize a request's bucket URIs (claiming the unclaimed ones, all or
   * none), then store what the request creates (`create`). When storing fails
   * (the id is taken, the model is gone) the buckets this request just claimed
   * are given back, so a refused request leaves ownership as it was.
   */
  withAccess<T>(
    project: string,
    uses: readonly UriUse[],
    log: Pick<Logger, 'warn'>,
    create: () => Promise<T>,
  ): Promise<T>;
  /** Claim a bucket (idempotent for its owner); PERMISSION_DENIED when another project owns it. */
  claim(project: string, bucket: string): Promise<Bucket>;
  /** The buckets a project owns (with their grants), then those granted to it, by name. */
  list(project: string): Promise<Bucket[]>;
  /** Release a bucket the project owns, or hand it to `reassignTo`; BUCKET_NOT_FOUND otherwise. */
  release(project: string, bucket: string, reassignTo?: string): Promise<void>;
  /** Grant `grantee` a role on a bucket the project owns (replacing its earlier role). */
  grant(project: string, bucket: string, grantee: string, role: BucketGrantRole): Promise<Bucket>;
  /** Remove `grantee`'s grant (none is fine) on a bucket the project owns. */
  revoke(project: string, bucket: string, grantee: string): Promise<Bucket>;
}

const denied = (field: string, description: string): StratusError =>
  fieldError('PERMISSION_DENIED', field, description);

const notOwned = (project: string, bucket: string): StratusError =>
  new StratusError('BUCKET_NOT_FOUND', { project, bucket });

const invalidProject = (field: string, project: string): StratusError =>
  fieldError('INVALID_ARGUMENT', field, `"${project}" is not a project id`);

const grantsOf = (hash: Record<string, string>): BucketGrant[] =>
  Object.keys(hash)
    .sort()
    .map((project) => ({ project, role: hash[project] as BucketGrantRole }));

const authorize = async (
  ctx: StoreContext,
  project: string,
  uses: readonly UriUse[],
): Promise<{ claimed: string[] }> => {
  const keys = ctx.keys.buckets;
  const checks = uses.map((use) => {
    const bucket = useBucket(use);
    return { bucket, grants: keys.grants(bucket), access: use.access };
  });
  if (checks.length === 0) return { claimed: [] };
  const reply = decodeAuthorizeBucketsReply(
    await ctx.redis.stratusAuthorizeBuckets(
      authorizeBucketsArgs({
        keys: { owners: keys.owners, owned: keys.owned(project) },
        project,
        uses: checks,
      }),
    ),
  );
  if (reply.ok) return { claimed: reply.claimed };
  const use = uses[reply.refused];
  const bucket = checks[reply.refused]?.bucket;
  if (use === undefined || bucket === undefined) {
    throw new TypeError(`bucket authorization refused use ${reply.refused + 1} of ${uses.length}`);
  }
  const { role } = reply;
  throw denied(
    use.field,
    role === ''
      ? `bucket "${bucket}" belongs to another project`
      : `bucket "${bucket}" belongs to another project, which granted project "${project}" only ${role} (writing needs WRITER)`,
  );
};

const ownedBucket = async (ctx: StoreContext, project: string, bucket: string): Promise<Bucket> => {
  const grants = asHash(await ctx.redis.hgetall(ctx.keys.buckets.grants(bucket)));
  return { name: bucket, owner: project, role: 'OWNER', grants: grantsOf(grants) };
};

const list = async (ctx: StoreContext, project: string): Promise<Bucket[]> => {
  const keys = ctx.keys.buckets;
  const [owned, granted] = (
    await execPipeline(
      ctx.redis.pipeline().smembers(keys.owned(project)).smembers(keys.granted(project)),
    )
  ).map((reply) => asStrings(reply).sort());
  const pipeline = ctx.redis.pipeline();
  for (const bucket of owned ?? []) pipeline.hgetall(keys.grants(bucket));
  for (const bucket of granted ?? []) {
    pipeline.hget(keys.owners, bucket).hget(keys.grants(bucket), project);
  }
  const replies = await execPipeline(pipeline);
  const ownedBuckets: Bucket[] = (owned ?? []).map((name, i) => ({
    name,
    owner: project,
    role: 'OWNER',
    grants: grantsOf(asHash(replies[i])),
  }));
  const base = ownedBuckets.length;
  const grantedBuckets = (granted ?? []).flatMap((name, i): Bucket[] => {
    const owner = replies[base + 2 * i];
    const role = replies[base + 2 * i + 1];
    if (typeof owner !== 'string' || (role !== 'READER' && role !== 'WRITER')) return [];
    return [{ name, owner, role }];
  });
  return [...ownedBuckets, ...grantedBuckets];
};

const claim = async (ctx: StoreContext, project: string, bucket: string): Promise<Bucket> => {
  const keys = ctx.keys.buckets;
  const outcome = decodeClaimBucketReply(
    await ctx.redis.stratusClaimBucket(
      commandArgs(CLAIM_BUCKET, {
        keys: { owners: keys.owners, owned: keys.owned(project) },
        args: { project, bucket },
      }),
    ),
  );
  if (outcome === 'TAKEN') throw denied('name', `bucket "${bucket}" belongs to another project`);
  return ownedBucket(ctx, project, bucket);
};

const release = async (
  ctx: StoreContext,
  project: string,
  bucket: string,
  reassignTo?: string,
): Promise<void> => {
  const keys = ctx.keys.buckets;
  if (reassignTo !== undefined && !isValidProjectId(reassignTo)) {
    throw invalidProject('reassignTo', reassignTo);
  }
  const target = reassignTo === project ? undefined : reassignTo;
  const raw = await ctx.redis.stratusReleaseBucket(
    commandArgs(RELEASE_BUCKET, {
      keys: {
        owners: keys.owners,
        owned: keys.owned(project),
        grants: keys.grants(bucket),
        newOwned: target === undefined ? keys.owned(project) : keys.owned(target),
      },
      args: { project, bucket, newOwner: target ?? '', grantedPrefix: keys.grantedPrefix },
    }),
  );
  if (decodeReleaseBucketReply(raw) === 'NOT_OWNER') throw notOwned(project, bucket);
};

const setGrant = async (
  ctx: StoreContext,
  project: string,
  bucket: string,
  grantee: string,
  role: BucketGrantRole | '',
): Promise<Bucket> => {
  if (!isValidProjectId(grantee)) throw invalidProject('project', grantee);
  const keys = ctx.keys.buckets;
  const outcome = decodeGrantBucketReply(
    await ctx.redis.stratusGrantBucket(
      commandArgs(GRANT_BUCKET, {
        keys: { owners: keys.owners, grants: keys.grants(bucket), granted: keys.granted(grantee) },
        args: { project, bucket, grantee, role },
      }),
    ),
  );
  if (outcome === 'NOT_OWNER') throw notOwned(project, bucket);
  if (outcome === 'SELF') {
    throw fieldError('INVALID_ARGUMENT', 'project', 'is the owner', {
      detail: `project: "${grantee}" owns bucket "${bucket}" and needs no grant`,
    });
  }
  return ownedBucket(ctx, project, bucket);
};

const undoClaims = async (
  ctx: StoreContext,
  project: string,
  buckets: readonly string[],
): Promise<void> => {
  if (buckets.length === 0) return;
  const keys = ctx.keys.buckets;
  await ctx.redis.stratusUndoClaims(
    undoClaimsArgs({
      keys: { owners: keys.owners, owned: keys.owned(project) },
      project,
      buckets: buckets.map((bucket) => ({ bucket, grants: keys.grants(bucket) })),
    }),
  );
};

/** The bucket store over one store context. */
const withAccess = async <T>(
  ctx: StoreContext,
  project: string,
  uses: readonly UriUse[],
  log: Pick<Logger, 'warn'>,
  create: () => Promise<T>,
): Promise<T> => {
  const { claimed } = await authorize(ctx, project, uses);
  try {
    return await create();
  } catch (error) {
    await undoClaims(ctx, project, claimed).catch((err: unknown) =>
      log.warn({ err: coerceError(err), claimed }, 'could not give back bucket claims'),
    );
    throw error;
  }
};

export const createBucketStore = (ctx: StoreContext): BucketStore => ({
  authorize: authorize.bind(undefined, ctx),
  undoClaims: undoClaims.bind(undefined, ctx),
  withAccess: (project, uses, log, create) => withAccess(ctx, project, uses, log, create),
  claim: claim.bind(undefined, ctx),
  list: list.bind(undefined, ctx),
  release: release.bind(undefined, ctx),
  grant: setGrant.bind(undefined, ctx),
  revoke: (project, bucket, grantee) => setGrant(ctx, project, bucket, grantee, ''),
});
