import type { Redis } from 'ioredis';
import type { BucketGrantRole } from '@stratus/spec';
import { asStrings } from '../redis-util.js';
import { luaCommand, runCommand, type NamedCall } from './command.js';

/**
 * Typed wrappers of the bucket ownership commands (`lua/authorize-buckets.lua`
 * … `grant-bucket.lua`). Every bucket key carries the `{buckets}` hash tag, so
 * one script may touch any of them (Redis Cluster: one slot).
 */

const AUTHORIZE_BUCKETS = luaCommand('authorize-buckets', {
  keys: ['owners', 'owned'],
  args: ['project', 'bucketCount'],
});

const CLAIM_BUCKET = luaCommand('claim-bucket', {
  keys: ['owners', 'owned'],
  args: ['project', 'bucket'],
});

const UNDO_CLAIMS = luaCommand('undo-claims', { keys: ['owners', 'owned'], args: ['project'] });

const RELEASE_BUCKET = luaCommand('release-bucket', {
  keys: ['owners', 'owned', 'grants', 'newOwned'],
  args: ['project', 'bucket', 'newOwner', 'grantedPrefix'],
});

const GRANT_BUCKET = luaCommand('grant-bucket', {
  keys: ['owners', 'grants', 'granted'],
  args: ['project', 'bucket', 'grantee', 'role'],
});

/** The bucket commands, for registration. */
export const BUCKET_COMMANDS = [
  AUTHORIZE_BUCKETS,
  CLAIM_BUCKET,
  UNDO_CLAIMS,
  RELEASE_BUCKET,
  GRANT_BUCKET,
] as const;

/** One bucket use to authorize: the bucket, its grants hash, and the access wanted. */
export interface BucketUse {
  readonly bucket: string;
  readonly grants: string;
  readonly access: 'read' | 'write';
}

/** Outcome of {@link authorizeBucketsScript}: `refused` is the 0-based index of the first refused use. */
export type AuthorizeBucketsReply =
  | { readonly ok: true; readonly claimed: string[] }
  | { readonly ok: false; readonly refused: number; readonly role: string };

/** Check every use, then claim the unclaimed buckets, in one step (a refusal claims nothing). */
export const authorizeBucketsScript = async (
  redis: Redis,
  input: {
    readonly keys: NamedCall<typeof AUTHORIZE_BUCKETS>['keys'];
    readonly project: string;
    readonly uses: readonly BucketUse[];
  },
): Promise<AuthorizeBucketsReply> => {
  const reply = await runCommand(redis, AUTHORIZE_BUCKETS, {
    keys: input.keys,
    moreKeys: input.uses.map((use) => use.grants),
    args: { project: input.project, bucketCount: input.uses.length },
    moreArgs: [...input.uses.map((use) => use.bucket), ...input.uses.map((use) => use.access)],
  });
  if (!Array.isArray(reply))
    throw new TypeError(`authorize-buckets script replied ${String(reply)}`);
  const [refused, detail] = reply as [unknown, unknown];
  if (refused === 0) return { ok: true, claimed: asStrings(detail) };
  return { ok: false, refused: Number(refused) - 1, role: String(detail) };
};

/** Claim one bucket: CLAIMED, OWNED (already the project's) or TAKEN. */
export const claimBucketScript = async (
  redis: Redis,
  input: NamedCall<typeof CLAIM_BUCKET>,
): Promise<'CLAIMED' | 'OWNED' | 'TAKEN'> => {
  const reply = await runCommand(redis, CLAIM_BUCKET, input);
  if (reply === 'CLAIMED' || reply === 'OWNED' || reply === 'TAKEN') return reply;
  throw new TypeError(`claim-bucket script replied ${String(reply)}`);
};

/** Drop the buckets a refused request claimed that the project still owns with no grants. */
export const undoClaimsScript = async (
  redis: Redis,
  input: {
    readonly keys: NamedCall<typeof UNDO_CLAIMS>['keys'];
    readonly project: string;
    readonly buckets: readonly { readonly bucket: string; readonly grants: string }[];
  },
): Promise<number> =>
  Number(
    await runCommand(redis, UNDO_CLAIMS, {
      keys: input.keys,
      moreKeys: input.buckets.map((use) => use.grants),
      args: { project: input.project },
      moreArgs: input.buckets.map((use) => use.bucket),
    }),
  );

const okOrNotOwner = (script: string, reply: unknown): 'OK' | 'NOT_OWNER' => {
  if (reply === 'OK' || reply === 'NOT_OWNER') return reply;
  throw new TypeError(`${script} script replied ${String(reply)}`);
};

/** Release a bucket (newOwner '') or hand it to another project (newOwned: that one's owned set). */
export const releaseBucketScript = async (
  redis: Redis,
  input: NamedCall<typeof RELEASE_BUCKET>,
): Promise<'OK' | 'NOT_OWNER'> =>
  okOrNotOwner('release-bucket', await runCommand(redis, RELEASE_BUCKET, input));

/** Grant (a role) or revoke (role '') a project's access; SELF when the grantee is the owner. */
export const grantBucketScript = async (
  redis: Redis,
  input: Omit<NamedCall<typeof GRANT_BUCKET>, 'args'> & {
    readonly args: Omit<NamedCall<typeof GRANT_BUCKET>['args'], 'role'> & {
      readonly role: BucketGrantRole | '';
    };
  },
): Promise<'OK' | 'NOT_OWNER' | 'SELF'> => {
  const reply = await runCommand(redis, GRANT_BUCKET, input);
  return reply === 'SELF' ? reply : okOrNotOwner('grant-bucket', reply);
};
