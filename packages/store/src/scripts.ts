import type { ChainableCommander, Redis } from 'ioredis';
import {
  AUTHORIZE_BUCKETS_LUA,
  CLAIM_BUCKET_LUA,
  GRANT_BUCKET_LUA,
  RELEASE_BUCKET_LUA,
  UNDO_CLAIMS_LUA,
} from './lua-bucket.js';
import { CREATE_JOB_LUA, LIST_JOBS_LUA, TRANSITION_JOB_LUA } from './lua-job.js';
import {
  CREATE_MODEL_LUA,
  CREATE_VERSION_LUA,
  DELETE_MODEL_LUA,
  DELETE_VERSION_LUA,
  FINISH_VERSION_LUA,
  SET_DEFAULT_VERSION_LUA,
  TOUCH_VERSION_LUA,
} from './lua-model.js';
import { ACQUIRE_PROJECT_SLOT_LUA, RENEW_PROJECT_SLOTS_LUA } from './lua-project-slots.js';
import {
  CLAIM_TRIAL_LUA,
  CREATE_TRIAL_LUA,
  FINISH_TRIAL_LUA,
  RELEASE_LOCK_LUA,
  TRIAL_PROGRESS_LUA,
} from './lua-trial.js';

/**
 * Lua scripts, registered with ioredis `defineCommand`: ioredis sends EVALSHA
 * and falls back to EVAL once per connection, so each call is one round trip.
 */
const SCRIPTS = {
  stratusCreateJob: CREATE_JOB_LUA,
  stratusTransitionJob: TRANSITION_JOB_LUA,
  stratusListJobs: LIST_JOBS_LUA,
  stratusCreateTrial: CREATE_TRIAL_LUA,
  stratusClaimTrial: CLAIM_TRIAL_LUA,
  stratusTrialProgress: TRIAL_PROGRESS_LUA,
  stratusFinishTrial: FINISH_TRIAL_LUA,
  stratusReleaseLock: RELEASE_LOCK_LUA,
  stratusCreateModel: CREATE_MODEL_LUA,
  stratusDeleteModel: DELETE_MODEL_LUA,
  stratusCreateVersion: CREATE_VERSION_LUA,
  stratusFinishVersion: FINISH_VERSION_LUA,
  stratusSetDefaultVersion: SET_DEFAULT_VERSION_LUA,
  stratusDeleteVersion: DELETE_VERSION_LUA,
  stratusTouchVersion: TOUCH_VERSION_LUA,
  stratusAuthorizeBuckets: AUTHORIZE_BUCKETS_LUA,
  stratusClaimBucket: CLAIM_BUCKET_LUA,
  stratusUndoClaims: UNDO_CLAIMS_LUA,
  stratusReleaseBucket: RELEASE_BUCKET_LUA,
  stratusGrantBucket: GRANT_BUCKET_LUA,
  stratusAcquireProjectSlot: ACQUIRE_PROJECT_SLOT_LUA,
  stratusRenewProjectSlots: RENEW_PROJECT_SLOTS_LUA,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

type ScriptArg = string | number;
type ScriptFn<R> = (this: unknown, numKeys: number, ...args: ScriptArg[]) => R;

/** Register the scripts on a connection (idempotent: redefining replaces them). */
export const defineScripts = (redis: Redis): void => {
  for (const [name, lua] of Object.entries(SCRIPTS)) redis.defineCommand(name, { lua });
};

const scriptFn = <R>(target: object, name: ScriptName): ScriptFn<R> => {
  const fn = (target as Record<string, unknown>)[name];
  if (typeof fn !== 'function') {
    throw new TypeError(`Redis script ${name} is not defined on this connection`);
  }
  return fn as ScriptFn<R>;
};

/** Run a script: `keys` become KEYS, `args` ARGV. */
export const runScript = (
  redis: Redis,
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArg[],
): Promise<unknown> =>
  scriptFn<Promise<unknown>>(redis, name).call(redis, keys.length, ...keys, ...args);

/** Queue a script on a pipeline (its reply comes back with the pipeline's). */
export const queueScript = (
  pipeline: ChainableCommander,
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArg[],
): ChainableCommander =>
  scriptFn<ChainableCommander>(pipeline, name).call(pipeline, keys.length, ...keys, ...args);
