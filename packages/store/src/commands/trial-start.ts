import { JOB_STATES, TERMINAL_JOB_STATES, canTransition } from '@stratus/spec';
import { asStrings, hashFromPairs } from '../redis-util.js';
import type { TrialState } from '../trial-state.js';
import { luaCommand } from './command.js';
import { luaSet } from './loader.js';

/**
 * The trial-start command `lua/start-trial.lua` (a project slot, the claim and
 * the job's PREPARING in one step) and the decoder of its reply.
 * `../trial-start.ts` calls it as `redis.stratusStartTrial(args)`.
 */

// The script moves a QUEUED job to PREPARING without looking the edge up.
if (!canTransition('QUEUED', 'PREPARING')) {
  throw new Error('start-trial.lua moves QUEUED → PREPARING, which the job-state graph forbids');
}

export const START_TRIAL = luaCommand('start-trial', {
  keys: ['meta', 'trial', 'slots', 'queued', 'preparing'],
  args: ['workerId', 'now', 'holder', 'slotLimit', 'leaseMs', 'jobId', 'project', 'channel'],
  constants: {
    LIVE: luaSet(
      JOB_STATES.filter((state) => state !== 'CANCELLING' && !TERMINAL_JOB_STATES.includes(state)),
    ),
  },
});

/** The trial-start command, for registration. */
export const TRIAL_START_COMMANDS = [START_TRIAL] as const;

/** Outcome of start-trial. */
export type StartTrialReply =
  | {
      readonly outcome: 'OK';
      readonly previousState: TrialState;
      readonly attempt: number;
      /** The trial's hyperparameters, as stored (JSON). */
      readonly hyperparameters: string;
      /** The job's meta hash after the start. */
      readonly meta: Readonly<Record<string, string>>;
    }
  | { readonly outcome: 'PROJECT_FULL'; readonly held: number }
  | { readonly outcome: 'JOB_NOT_FOUND' | 'TRIAL_NOT_FOUND' }
  | { readonly outcome: 'JOB_NOT_LIVE' | 'TRIAL_FINISHED'; readonly state: string };

const OUTCOMES = [
  'OK',
  'PROJECT_FULL',
  'JOB_NOT_FOUND',
  'TRIAL_NOT_FOUND',
  'JOB_NOT_LIVE',
  'TRIAL_FINISHED',
] as const;

/**
 * A start-trial reply (it takes a project slot, claims the trial and moves a
 * QUEUED job to PREPARING, or none of them): `{outcome, ...details}`.
 */
export const decodeStartTrialReply = (reply: unknown): StartTrialReply => {
  const [first, second = '', attempts = '0', hyperparameters = '{}', meta] = Array.isArray(reply)
    ? (reply as unknown[])
    : [];
  const outcome = OUTCOMES.find((word) => word === first);
  switch (outcome) {
    case 'OK':
      return {
        outcome,
        previousState: String(second) as TrialState,
        attempt: Number(attempts),
        hyperparameters: String(hyperparameters),
        meta: hashFromPairs(meta),
      };
    case 'PROJECT_FULL':
      return { outcome, held: Number(second) };
    case 'JOB_NOT_LIVE':
    case 'TRIAL_FINISHED':
      return { outcome, state: String(second) };
    case 'JOB_NOT_FOUND':
    case 'TRIAL_NOT_FOUND':
      return { outcome };
    default:
      throw new TypeError(`start-trial script replied ${asStrings(reply).join(' ')}`);
  }
};
