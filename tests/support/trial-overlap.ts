/** The recorded span of a trial's (last) attempt, as the store keeps it. */
export interface TrialSpan {
  readonly trialId: string;
  readonly startTime?: string;
  readonly endTime?: string;
}

/**
 * The most trials that ran at once, from the start and end times the workers
 * recorded (a sweep over the spans, so no moment between two samples is
 * missed). A trial that ended at the instant another started does not overlap
 * it. Throws for a trial without both times: every trial must have run to an end.
 */
export const mostTrialsAtOnce = (trials: readonly TrialSpan[]): number => {
  const edges: { at: number; delta: 1 | -1 }[] = [];
  for (const trial of trials) {
    if (trial.startTime === undefined || trial.endTime === undefined) {
      throw new Error(`trial ${trial.trialId} has no start or end time`);
    }
    edges.push({ at: Date.parse(trial.startTime), delta: 1 });
    edges.push({ at: Date.parse(trial.endTime), delta: -1 });
  }
  // Ends before starts at the same instant.
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let most = 0;
  for (const edge of edges) {
    running += edge.delta;
    most = Math.max(most, running);
  }
  return most;
};
