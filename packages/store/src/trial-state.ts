/** Where a trial is. STOPPED: ended early by the stopping rule; its last metric still counts. */
export const TRIAL_STATES = [
  'QUEUED',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'STOPPED',
  'CANCELLED',
] as const;
export type TrialState = (typeof TRIAL_STATES)[number];

/** States a trial never leaves. */
export const FINAL_TRIAL_STATES = ['SUCCEEDED', 'FAILED', 'STOPPED', 'CANCELLED'] as const;
export type FinalTrialState = (typeof FINAL_TRIAL_STATES)[number];

/** Whether a trial in `state` has finished (its result is recorded). */
export const isFinalTrialState = (state: TrialState): state is FinalTrialState =>
  (FINAL_TRIAL_STATES as readonly string[]).includes(state);
