import type { Redis } from 'ioredis';
import {
  JOB_STATES,
  JOB_STATE_TRANSITIONS,
  StratusError,
  TERMINAL_JOB_STATES,
  type JobState,
} from '@stratus/spec';
import { jobName } from '../context.js';
import { asStrings } from '../redis-util.js';
import { luaCommand, runCommand, type NamedCall } from './command.js';
import { luaSet } from './loader.js';

/** Typed wrappers of the job commands (`lua/create-job.lua`, `transition-job.lua`, `list-jobs.lua`). */

const CREATE_JOB = luaCommand('create-job', {
  keys: [
    'meta',
    'projectJobs',
    'jobScore',
    'queued',
    'trials',
    'trialSeq',
    'preparing',
    'running',
    'cancelling',
  ],
  args: ['jobId', 'createTimeMs', 'labelCount', 'trialCount', 'createTime', 'quota'],
});

const TRANSITION_JOB = luaCommand('transition-job', {
  keys: ['meta', 'logs', 'metrics'],
  args: ['to', 'now', 'fromCsv', 'jobId', 'maxLogs', 'maxMetrics', 'channel', 'project'],
  constants: {
    JOB_STATES,
    TERMINAL: luaSet(TERMINAL_JOB_STATES),
    EDGES: Object.fromEntries(
      JOB_STATES.map((state) => [state, luaSet(JOB_STATE_TRANSITIONS[state])]),
    ),
  },
});

const LIST_JOBS = luaCommand('list-jobs', {
  keys: [],
  args: ['cursor', 'pageSize', 'scanBudget'],
});

/** The job commands, for registration. */
export const JOB_COMMANDS = [CREATE_JOB, TRANSITION_JOB, LIST_JOBS] as const;

/** What {@link createJobScript} writes. */
export interface CreateJobInput {
  readonly keys: NamedCall<typeof CREATE_JOB>['keys'];
  /** The label indexes the job joins. */
  readonly labelIndexes: readonly string[];
  /** The first trials ("1".."N"): each one's hash key and hyperparameters JSON. */
  readonly trials: readonly { readonly key: string; readonly hyperparameters: string }[];
  readonly args: {
    readonly jobId: string;
    readonly createTimeMs: number;
    readonly createTime: string;
    /** Live-job quota of the project; 0: none. */
    readonly quota: number;
  };
  /** The job's meta hash, as field/value pairs. */
  readonly fields: readonly string[];
}

/** Outcome of {@link createJobScript}. */
export type CreateJobReply =
  | { readonly outcome: 'CREATED'; readonly score: string }
  | { readonly outcome: 'EXISTS' }
  | { readonly outcome: 'QUOTA'; readonly live: number };

/** Create a job and its first trials unless it exists or the project is at its quota. */
export const createJobScript = async (
  redis: Redis,
  input: CreateJobInput,
): Promise<CreateJobReply> => {
  const reply = await runCommand(redis, CREATE_JOB, {
    keys: input.keys,
    moreKeys: [...input.labelIndexes, ...input.trials.map((trial) => trial.key)],
    args: {
      ...input.args,
      labelCount: input.labelIndexes.length,
      trialCount: input.trials.length,
    },
    moreArgs: [...input.trials.map((trial) => trial.hyperparameters), ...input.fields],
  });
  if (reply === null) return { outcome: 'EXISTS' };
  if (Array.isArray(reply)) return { outcome: 'QUOTA', live: Number(reply[1]) };
  return { outcome: 'CREATED', score: String(reply) };
};

/** What {@link transitionJobScript} needs. */
export interface TransitionJobInput {
  readonly keys: NamedCall<typeof TRANSITION_JOB>['keys'];
  /** The project's state indexes. */
  readonly stateIndexes: Readonly<Record<JobState, string>>;
  readonly args: {
    readonly to: JobState;
    readonly now: string;
    readonly from: readonly JobState[];
    readonly project: string;
    readonly jobId: string;
    readonly maxLogs: number;
    readonly maxMetrics: number;
    /** The job-state pub/sub channel. */
    readonly channel: string;
  };
  /** Meta fields set in the same step, as field/value pairs. */
  readonly fields: readonly string[];
}

/** Outcome of {@link transitionJobScript}: `CONFLICT` when the job is not in `from` (or has ended). */
export type TransitionJobReply =
  | { readonly outcome: 'OK'; readonly from: JobState; readonly rev: string }
  | { readonly outcome: 'CONFLICT'; readonly state: JobState }
  | { readonly outcome: 'NOT_FOUND' };

const knownState = (state: string | undefined, reply: readonly string[]): JobState => {
  const known = JOB_STATES.find((candidate) => candidate === state);
  if (known === undefined) throw new TypeError(`transition script replied ${reply.join(' ')}`);
  return known;
};

/**
 * Compare-and-set a job's state along the legal graph. An edge the graph of
 * `@stratus/spec` lacks is refused by the script itself, writing nothing:
 * INVALID_STATE_TRANSITION, a caller's bug rather than a lost race.
 */
export const transitionJobScript = async (
  redis: Redis,
  input: TransitionJobInput,
): Promise<TransitionJobReply> => {
  const { args } = input;
  const reply = asStrings(
    await runCommand(redis, TRANSITION_JOB, {
      keys: input.keys,
      moreKeys: JOB_STATES.map((state) => input.stateIndexes[state]),
      args: { ...args, fromCsv: args.from.join(',') },
      moreArgs: input.fields,
    }),
  );
  const [outcome, state, rev = ''] = reply;
  if (outcome === 'NOT_FOUND') return { outcome };
  const current = knownState(state, reply);
  if (outcome === 'OK') return { outcome, from: current, rev };
  if (outcome === 'CONFLICT') return { outcome, state: current };
  if (outcome === 'ILLEGAL') {
    throw new StratusError('INVALID_STATE_TRANSITION', {
      kind: 'job',
      name: jobName(args.project, args.jobId),
      from: current,
      to: args.to,
    });
  }
  throw new TypeError(`transition script replied ${reply.join(' ')}`);
};

/** One page of {@link listJobIdsScript}. */
export interface JobIdPage {
  /** The score to continue from; undefined on the last page. */
  readonly nextCursor: string | undefined;
  readonly examined: number;
  readonly jobIds: string[];
}

/** One page of job ids, newest first, present in every one of `indexes` (at least one). */
export const listJobIdsScript = async (
  redis: Redis,
  input: {
    readonly indexes: readonly string[];
    readonly args: {
      readonly cursor: string;
      readonly pageSize: number;
      readonly scanBudget: number;
    };
  },
): Promise<JobIdPage> => {
  const [next = '', examined = '0', ...jobIds] = asStrings(
    await runCommand(redis, LIST_JOBS, { keys: {}, moreKeys: input.indexes, args: input.args }),
  );
  return { nextCursor: next === '' ? undefined : next, examined: Number(examined), jobIds };
};
