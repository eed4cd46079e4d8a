import type { FinalTrialState, TrialState } from '../trial-state.js';
import { commandArgs, decodeCode, luaCommand } from './command.js';
import type { CommandArgs, NamedCall } from './command.js';

/**
 * The trial commands (`lua/create-trial.lua`, `trial-progress.lua`,
 * `finish-trial.lua`) and the job lock's `release-lock.lua` (a trial's start
 * is in `trial-start.ts`): each one's declaration, the encoder of its arguments
 * where they are more than its named KEYS and ARGV, and the decoder of its
 * reply. The store functions in `../trials.ts` and `../job-lock.ts` call them
 * as `redis.stratusFinishTrial(args)`.
 */

export const CREATE_TRIAL = luaCommand('create-trial', {
  keys: ['meta', 'trial', 'trials'],
  args: ['trialId'],
});

export const TRIAL_PROGRESS = luaCommand('trial-progress', {
  keys: ['meta', 'trial', 'series'],
  args: ['step', 'value', 'maxSeries'],
});

export const SHARD_PROGRESS = luaCommand('shard-progress', {
  keys: ['trial'],
  args: ['rowsDone', 'predictionCount', 'errorCount'],
});

export const FINISH_TRIAL = luaCommand('finish-trial', {
  keys: ['meta', 'trial'],
  args: [
    'fromCsv',
    'to',
    'now',
    'trialId',
    'objective',
    'trainingStep',
    'errorMessage',
    'modelDir',
  ],
});

export const RELEASE_LOCK = luaCommand('release-lock', { keys: ['lock'], args: ['token'] });

/** The trial and lock commands, for registration. */
export const TRIAL_COMMANDS = [
  CREATE_TRIAL,
  TRIAL_PROGRESS,
  SHARD_PROGRESS,
  FINISH_TRIAL,
  RELEASE_LOCK,
] as const;

/** Outcome of one create-trial: the trial was added, its id was taken, or the job is missing. */
export type CreateTrialReply = 'CREATED' | 'EXISTS' | 'JOB_NOT_FOUND';

/**
 * A create-trial reply (it adds a QUEUED trial, its hash the call's
 * `moreArgs`, unless its id is taken): 1, 0, or -1 when the job is missing.
 */
export const decodeCreateTrialReply = (reply: unknown): CreateTrialReply =>
  decodeCode('create-trial', reply, { 1: 'CREATED', 0: 'EXISTS', [-1]: 'JOB_NOT_FOUND' });

/** Outcome of trial-progress (its arguments: `step`, `value` as the decimal string stored, `maxSeries`). */
export type TrialProgressReply = 'RECORDED' | 'NOT_RUNNING' | 'TRIAL_NOT_FOUND';

/** A trial-progress reply: whether the value joined the RUNNING trial's series and summary. */
export const decodeTrialProgressReply = (reply: unknown): TrialProgressReply =>
  decodeCode('trial-progress', reply, { 1: 'RECORDED', 0: 'NOT_RUNNING', [-1]: 'TRIAL_NOT_FOUND' });

/** A shard-progress reply: whether the RUNNING trial took the counts. */
export const decodeShardProgressReply = (reply: unknown): TrialProgressReply =>
  decodeCode('shard-progress', reply, { 1: 'RECORDED', 0: 'NOT_RUNNING', [-1]: 'TRIAL_NOT_FOUND' });

/** Record a trial's result once, updating the job's completed count, best trial and model dir. */
export const finishTrialArgs = (input: {
  readonly keys: NamedCall<typeof FINISH_TRIAL>['keys'];
  readonly args: {
    readonly from: readonly TrialState[];
    readonly to: FinalTrialState;
    readonly now: string;
    readonly trialId: string;
    /** The final objective and its step as decimal strings; both '' when absent. */
    readonly objective: string;
    readonly trainingStep: string;
    /** '' when absent. */
    readonly errorMessage: string;
    /** '' when absent. */
    readonly modelDir: string;
  };
}): CommandArgs<typeof FINISH_TRIAL> =>
  commandArgs(FINISH_TRIAL, {
    keys: input.keys,
    args: { ...input.args, fromCsv: input.args.from.join(',') },
  });

/** Outcome of finish-trial: REFUSED when the trial is not in `from` (e.g. already final). */
export type FinishTrialReply = 'RECORDED' | 'REFUSED' | 'TRIAL_NOT_FOUND';

/** A finish-trial reply. */
export const decodeFinishTrialReply = (reply: unknown): FinishTrialReply =>
  decodeCode('finish-trial', reply, { 1: 'RECORDED', 0: 'REFUSED', [-1]: 'TRIAL_NOT_FOUND' });

/** A release-lock reply (it deletes the lock only while the token holds it): whether it did. */
export const decodeReleaseLockReply = (reply: unknown): boolean => Number(reply) === 1;
