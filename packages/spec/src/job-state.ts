import { type Static } from '@sinclair/typebox';
import { StringEnum } from './string-enum.js';

export const JOB_STATES = [
  'QUEUED',
  'PREPARING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLING',
  'CANCELLED',
] as const;
export const JobStateSchema = StringEnum(JOB_STATES);
export type JobState = Static<typeof JobStateSchema>;

export const TERMINAL_JOB_STATES: readonly JobState[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

/**
 * Allowed moves (docs/api.md). A job may fail before it runs (missing data,
 * bad package), and a cancel may be requested from any live state.
 */
export const JOB_STATE_TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  QUEUED: ['PREPARING', 'FAILED', 'CANCELLING'],
  PREPARING: ['RUNNING', 'FAILED', 'CANCELLING'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'CANCELLING'],
  CANCELLING: ['CANCELLED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
};

/** Whether a job (or trial) in `state` has finished and will never change again. */
export const isTerminalState = (state: JobState): boolean => TERMINAL_JOB_STATES.includes(state);

/** Whether `from → to` is an allowed state change. */
export const canTransition = (from: JobState, to: JobState): boolean =>
  JOB_STATE_TRANSITIONS[from].includes(to);
