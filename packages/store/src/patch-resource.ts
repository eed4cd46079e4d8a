import { StratusError } from '@stratus/spec';
import type { StoreContext } from './context.js';
import {
  decodePatchResourceReply,
  patchResourceArgs,
  type PatchOperation,
} from './commands/patch.js';
import { etagOf } from './etag.js';
import { asHash } from './redis-util.js';

/** What one patch writes, planned from the resource's hash as read. */
export interface PatchPlan {
  /** The new `input` JSON. */
  readonly input: string;
  /** Index ZSETs the resource leaves and joins (a job's label indexes), with `member`. */
  readonly leaveIndexes?: readonly string[];
  readonly joinIndexes?: readonly string[];
  /** The finished operation reporting the update, and its operation index entry. */
  readonly operation?: PatchOperation;
}

/** A resource to patch: where it lives, how its errors read, and how to plan the change. */
export interface PatchTarget {
  /** `job`, `model` or `version`, for the etag error. */
  readonly kind: string;
  /** Its full resource name, for the etag error. */
  readonly name: string;
  readonly key: string;
  /** The index member (a job's id). @defaultValue '' */
  readonly member?: string;
  /** The etag the request carried: the patch applies only while it is current. */
  readonly etag?: string;
  readonly notFound: () => StratusError;
  /** Plan the write from the hash as read; it may throw to refuse the change. */
  readonly plan: (hash: Readonly<Record<string, string>>) => PatchPlan;
}

/** Concurrent writers (a running job's trials bump its rev) are retried this often. */
const MAX_ATTEMPTS = 20;

const mismatch = (target: PatchTarget, etag: string): StratusError =>
  new StratusError('ETAG_MISMATCH', { etag, kind: target.kind, name: target.name });

/**
 * Read, plan and write a resource's stored input as one optimistic step: the
 * script writes only if `rev` is unchanged since the read, else the patch is
 * planned again (or, when the request named an etag, refused with
 * ETAG_MISMATCH, 409 ABORTED). Returns the hash as written.
 */
export const patchStoredInput = async (
  ctx: StoreContext,
  target: PatchTarget,
): Promise<Record<string, string>> => {
  let lastEtag = '';
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const hash = asHash(await ctx.redis.hgetall(target.key));
    if (hash.rev === undefined) throw target.notFound();
    lastEtag = etagOf(hash.rev) ?? '';
    if (target.etag !== undefined && target.etag !== lastEtag) throw mismatch(target, target.etag);
    const plan = target.plan(hash);
    const reply = decodePatchResourceReply(
      await ctx.redis.stratusPatchResource(
        patchResourceArgs({
          resource: target.key,
          expectedRev: hash.rev,
          input: plan.input,
          member: target.member ?? '',
          leaveIndexes: plan.leaveIndexes ?? [],
          joinIndexes: plan.joinIndexes ?? [],
          ...(plan.operation === undefined ? {} : { operation: plan.operation }),
        }),
      ),
    );
    if (reply.outcome === 'OK') return { ...hash, input: plan.input, rev: reply.rev };
    if (reply.outcome === 'NOT_FOUND') throw target.notFound();
    if (target.etag !== undefined) throw mismatch(target, target.etag);
  }
  throw mismatch(target, target.etag ?? lastEtag);
};
