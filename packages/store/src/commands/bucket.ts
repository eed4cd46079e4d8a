import { asStrings } from '../redis-util.js';
import { commandArgs, luaCommand, type CommandArgs, type NamedCall } from './command.js';

/**
 * The bucket ownership commands (`lua/authorize-buckets.lua` …
 * `grant-bucket.lua`): each one's declaration, the encoder of its arguments
 * where they are more than its named KEYS and ARGV, and the decoder of its
 * reply. Every bucket key carries the `{buckets}` hash tag, so one script may
 * touch any of them (Redis Cluster: one slot). The store functions in
 * `../buckets.ts` call them as `redis.stratusClaimBucket(args)`.
 */

export const AUTHORIZE_BUCKETS = luaCommand('authorize-buckets', {
  keys: ['owners', 'owned'],
  args: ['project', 'bucketCount'],
});

export const CLAIM_BUCKET = luaCommand('claim-bucket', {
  keys: ['owners', 'owned'],
  args: ['project', 'bucket'],
});

export const UNDO_CLAIMS = luaCommand('undo-claims', {
  keys: ['owners', 'owned'],
  args: ['project'],
});

export const RELEASE_BUCKET = luaCommand('release-bucket', {
  keys: ['owners', 'owned', 'grants', 'newOwned'],
  args: ['project', 'bucket', 'newOwner', 'grantedPrefix'],
});

export const GRANT_BUCKET = luaCommand('grant-bucket', {
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

/** Check every use, then claim the unclaimed buckets, in one step (a refusal claims nothing). */
export const authorizeBucketsArgs = (input: {
  readonly keys: NamedCall<typeof AUTHORIZE_BUCKETS>['keys'];
  readonly project: string;
  readonly uses: readonly BucketUse[];
}): CommandArgs<typeof AUTHORIZE_BUCKETS> =>
  commandArgs(AUTHORIZE_BUCKETS, {
    keys: input.keys,
    moreKeys: input.uses.map((use) => use.grants),
    args: { project: input.project, bucketCount: input.uses.length },
    moreArgs: [...input.uses.map((use) => use.bucket), ...input.uses.map((use) => use.access)],
  });

/** Outcome of authorize-buckets: `refused` is the 0-based index of the first refused use. */
export type AuthorizeBucketsReply =
  | { readonly ok: true; readonly claimed: string[] }
  | { readonly ok: false; readonly refused: number; readonly role: string };

/** An authorize-buckets reply: `{0, claimed}` or `{refused use (1-based), role it has}`. */
export const decodeAuthorizeBucketsReply = (reply: unknown): AuthorizeBucketsReply => {
  if (!Array.isArray(reply))
    throw new TypeError(`authorize-buckets script replied ${String(reply)}`);
  const [refused, detail] = reply as [unknown, unknown];
  if (refused === 0) return { ok: true, claimed: asStrings(detail) };
  return { ok: false, refused: Number(refused) - 1, role: String(detail) };
};

/** A claim-bucket reply: CLAIMED, OWNED (already the project's) or TAKEN. */
export const decodeClaimBucketReply = (reply: unknown): 'CLAIMED' | 'OWNED' | 'TAKEN' => {
  if (reply === 'CLAIMED' || reply === 'OWNED' || reply === 'TAKEN') return reply;
  throw new TypeError(`claim-bucket script replied ${String(reply)}`);
};

/**
 * Drop the buckets a refused request claimed that the project still owns
 * with no grants (its reply, how many were dropped, is not read).
 */
export const undoClaimsArgs = (input: {
  readonly keys: NamedCall<typeof UNDO_CLAIMS>['keys'];
  readonly project: string;
  readonly buckets: readonly { readonly bucket: string; readonly grants: string }[];
}): CommandArgs<typeof UNDO_CLAIMS> =>
  commandArgs(UNDO_CLAIMS, {
    keys: input.keys,
    moreKeys: input.buckets.map((use) => use.grants),
    args: { project: input.project },
    moreArgs: input.buckets.map((use) => use.bucket),
  });

const okOrNotOwner = (script: string, reply: unknown): 'OK' | 'NOT_OWNER' => {
  if (reply === 'OK' || reply === 'NOT_OWNER') return reply;
  throw new TypeError(`${script} script replied ${String(reply)}`);
};

/** A release-bucket reply (release with newOwner '', or hand the bucket to another project). */
export const decodeReleaseBucketReply = (reply: unknown): 'OK' | 'NOT_OWNER' =>
  okOrNotOwner('release-bucket', reply);

/** A grant-bucket reply (grant a role, or revoke with role ''); SELF when the grantee is the owner. */
export const decodeGrantBucketReply = (reply: unknown): 'OK' | 'NOT_OWNER' | 'SELF' =>
  reply === 'SELF' ? reply : okOrNotOwner('grant-bucket', reply);
