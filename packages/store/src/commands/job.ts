import {
  JOB_STATES,
  JOB_STATE_TRANSITIONS,
  TERMINAL_JOB_STATES,
  type JobState,
} from '@stratus/spec';
import { asStrings } from '../redis-util.js';
import { commandArgs, luaCommand, type CommandArgs, type NamedCall } from './command.js';
import { luaSet } from './loader.js';

/**
 * The job commands (`lua/create-job.lua`, `transition-job.lua`,
 * `list-jobs.lua`): each one's declaration, the encoder of its arguments
 * and the decoder of its reply. The store functions in `../jobs.ts` and
 * `../job-list.ts` call them as `redis.stratusCreateJob(args)`.
 */

export const CREATE_JOB = luaCommand('create-job', {
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

export const TRANSITION_JOB = luaCommand('transition-job', {
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

export const LIST_JOBS = luaCommand('list-jobs', {
  keys: [],
  args: ['cursor', 'pageSize', 'scanBudget'],
});

/** The job commands, for registration. */
export const JOB_COMMANDS = [CREATE_JOB, TRANSITION_JOB, LIST_JOBS] as const;

/** What create-job writes. */
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

/** Create a job and its first trials unless it exists or the project is at its quota. */
export const createJobArgs = (input: CreateJobInput): CommandArgs<typeof CREATE_JOB> =>
  commandArgs(CREATE_JOB, {
    keys: input.keys,
    moreKeys: [...input.labelIndexes, ...input.trials.map((trial) => trial.key)],
    args: {
      ...input.args,
      labelCount: input.labelIndexes.length,
      trialCount: input.trials.length,
    },
    moreArgs: [...input.trials.map((trial) => trial.hyperparameters), ...input.fields],
  });

/** Outcome of create-job. */
export type CreateJobReply =
  | { readonly outcome: 'CREATED'; readonly score: string }
  | { readonly outcome: 'EXISTS' }
  | { readonly outcome: 'QUOTA'; readonly live: number };

/** A create-job reply: the new job's score, nil when it exists, `{'QUOTA', live}`. */
export const decodeCreateJobReply = (reply: unknown): CreateJobReply => {
  if (reply === null) return { outcome: 'EXISTS' };
  if (Array.isArray(reply)) return { outcome: 'QUOTA', live: Number(reply[1]) };
  return { outcome: 'CREATED', score: String(reply) };
};

/** What transition-job needs. */
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

/** Compare-and-set a job's state along the legal graph of `@stratus/spec`. */
export const transitionJobArgs = (input: TransitionJobInput): CommandArgs<typeof TRANSITION_JOB> =>
  commandArgs(TRANSITION_JOB, {
    keys: input.keys,
    moreKeys: JOB_STATES.map((state) => input.stateIndexes[state]),
    args: { ...input.args, fromCsv: input.args.from.join(',') },
    moreArgs: input.fields,
  });

/**
 * Outcome of transition-job: `CONFLICT` when the job is not in `from` (or has
 * ended); `ILLEGAL` when some `from → to` is not an edge of the graph, which
 * the script refuses writing nothing (a caller's bug rather than a lost race).
 */
export type TransitionJobReply =
  | { readonly outcome: 'OK'; readonly from: JobState; readonly rev: string }
  | { readonly outcome: 'CONFLICT' | 'ILLEGAL'; readonly state: JobState }
  | { readonly outcome: 'NOT_FOUND' };

const knownState = (state: string | undefined, reply: readonly string[]): JobState => {
  const known = JOB_STATES.find((candidate) => candidate === state);
  if (known === undefined) throw new TypeError(`transition script replied ${reply.join(' ')}`);
  return known;
};

/** A transition-job reply: `{outcome, state, rev}`. */
export const decodeTransitionJobReply = (raw: unknown): TransitionJobReply => {
  const reply = asStrings(raw);
  const [outcome, state, rev = ''] = reply;
  if (outcome === 'NOT_FOUND') return { outcome };
  const current = knownState(state, reply);
  if (outcome === 'OK') return { outcome, from: current, rev };
  if (outcome === 'CONFLICT' || outcome === 'ILLEGAL') return { outcome, state: current };
  throw new TypeError(`transition script replied ${reply.join(' ')}`);
};

/** One page of job ids, newest first, present in every one of `indexes` (at least one). */
export const listJobsArgs = (input: {
  readonly indexes: readonly string[];
  readonly args: NamedCall<typeof LIST_JOBS>['args'];
}): CommandArgs<typeof LIST_JOBS> =>
  commandArgs(LIST_JOBS, { keys: {}, moreKeys: input.indexes, args: input.args });

/** One page of list-jobs. */
export interface JobIdPage {
  /** The score to continue from; undefined on the last page. */
  readonly nextCursor: string | undefined;
  readonly examined: number;
  readonly jobIds: string[];
}

/** A list-jobs reply: `{nextCursor or '', examined, ...jobIds}`. */
export const decodeListJobsReply = (reply: unknown): JobIdPage => {
  const [next = '', examined = '0', ...jobIds] = asStrings(reply);
  return { nextCursor: next === '' ? undefined : next, examined: Number(examined), jobIds };
};
