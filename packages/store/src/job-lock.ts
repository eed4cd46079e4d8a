import { randomBytes } from 'node:crypto';
import type { StoreContext } from './context.js';
import { commandArgs } from './commands/command.js';
import { RELEASE_LOCK, decodeReleaseLockReply } from './commands/trial.js';

/** A held job lock; pass it back to release it. */
export interface JobLock {
  readonly project: string;
  readonly jobId: string;
  readonly token: string;
}

/**
 * Take the job's lock (the tuning controller step runs under it) for `ttlMs`;
 * undefined when another holder has it. The TTL frees it if the holder dies.
 */
export const acquireJobLock = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  ttlMs: number,
): Promise<JobLock | undefined> => {
  const token = randomBytes(16).toString('base64url');
  const reply = await ctx.redis.set(
    ctx.keys.job(project, jobId).lock,
    token,
    'PX',
    Math.max(1, Math.round(ttlMs)),
    'NX',
  );
  return reply === 'OK' ? { project, jobId, token } : undefined;
};

/** Release a lock we hold; false when it had expired (and someone else may hold it now). */
export const releaseJobLock = async (ctx: StoreContext, lock: JobLock): Promise<boolean> =>
  decodeReleaseLockReply(
    await ctx.redis.stratusReleaseLock(
      commandArgs(RELEASE_LOCK, {
        keys: { lock: ctx.keys.job(lock.project, lock.jobId).lock },
        args: { token: lock.token },
      }),
    ),
  );
