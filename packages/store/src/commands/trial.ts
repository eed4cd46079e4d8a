import type { ChainableCommander, Redis } from 'ioredis';
import type { FinalTrialState, TrialState } from '../trial-state.js';
import { decodeCode, luaCommand, queueCommand, runCommand } from './command.js';
import type { NamedCall } from './command.js';

/**
 * Typed wrappers of the trial commands (`lua/create-trial.lua`,
 * `trial-progress.lua`, `finish-trial.lua`) and the job lock's
 * `release-lock.lua`; a trial's start is in `trial-start.ts`.
 */

const CREATE_TRIAL = luaCommand('create-trial', {
  keys: ['meta', 'trial', 'trials'],
  args: ['trialId'],
});

const TRIAL_PROGRESS = luaCommand('trial-progress', {
  keys: ['meta', 'trial', 'series'],
  args: ['step', 'value', 'maxSeries'],
});

const FINISH_TRIAL = luaCommand('finish-trial', {
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

const RELEASE_LOCK = luaCommand('release-lock', { keys: ['lock'], args: ['token'] });

/** The trial and lock commands, for registration. */
export const TRIAL_COMMANDS = [CREATE_TRIAL, TRIAL_PROGRESS, FINISH_TRIAL, RELEASE_LOCK] as const;

/** Outcome of one create-trial: the trial was added, its id was taken, or the job is missing. */
export type CreateTrialReply = 'CREATED' | 'EXISTS' | 'JOB_NOT_FOUND';

/**
 * Queue a create-trial on a pipeline (QUEUED trials are added in one round
 * trip); decode its reply with {@link decodeCreateTrialReply}.
 */
export const queueCreateTrialScript = (
  pipeline: ChainableCommander,
  input: {
    readonly keys: NamedCall<typeof CREATE_TRIAL>['keys'];
    readonly trialId: string;
    /** The trial's hash as field/value pairs. */
    readonly fields: readonly string[];
  },
): ChainableCommander =>
  queueCommand(pipeline, CREATE_TRIAL, {
    keys: input.keys,
    args: { trialId: input.trialId },
    moreArgs: input.fields,
  });

/** A create-trial reply from a pipeline. */
export const decodeCreateTrialReply = (reply: unknown): CreateTrialReply =>
  decodeCode('create-trial', reply, { 1: 'CREATED', 0: 'EXISTS', [-1]: 'JOB_NOT_FOUND' });

/** Outcome of {@link trialProgressScript}. */
export type TrialProgressReply = 'RECORDED' | 'NOT_RUNNING' | 'TRIAL_NOT_FOUND';

/** Append one objective value to a RUNNING trial's series and summary. */
export const trialProgressScript = async (
  redis: Redis,
  input: {
    readonly keys: NamedCall<typeof TRIAL_PROGRESS>['keys'];
    readonly args: {
      readonly step: number;
      /** The value as the decimal string stored (Lua would round a number to 14 digits). */
      readonly value: string;
      readonly maxSeries: number;
    };
  },
): Promise<TrialProgressReply> =>
  decodeCode('trial-progress', await runCommand(redis, TRIAL_PROGRESS, input), {
    1: 'RECORDED',
    0: 'NOT_RUNNING',
    [-1]: 'TRIAL_NOT_FOUND',
  });

/** Outcome of {@link finishTrialScript}: REFUSED when the trial is not in `from` (e.g. already final). */
export type FinishTrialReply = 'RECORDED' | 'REFUSED' | 'TRIAL_NOT_FOUND';

/** Record a trial's result once, updating the job's completed count, best trial and model dir. */
export const finishTrialScript = async (
  redis: Redis,
  input: {
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
  },
): Promise<FinishTrialReply> =>
  decodeCode(
    'finish-trial',
    await runCommand(redis, FINISH_TRIAL, {
      keys: input.keys,
      args: { ...input.args, fromCsv: input.args.from.join(',') },
    }),
    { 1: 'RECORDED', 0: 'REFUSED', [-1]: 'TRIAL_NOT_FOUND' },
  );

/** Delete a lock only while `token` holds it; whether it was deleted. */
export const releaseLockScript = async (
  redis: Redis,
  input: { readonly keys: { readonly lock: string }; readonly args: { readonly token: string } },
): Promise<boolean> => Number(await runCommand(redis, RELEASE_LOCK, input)) === 1;
