import type { HyperparameterSpec } from '@stratus/spec';
import { resolveGoal } from './goal.js';
import type { Goal } from './goal.js';
import type { IntermediateValue } from './trial.js';

export interface MedianStoppingOptions {
  /** Completed trials with a report at or before the step needed before the rule acts. @defaultValue 3 */
  readonly minCompletedTrials?: number;
  /** The rule acts only once the trial has reported a step ≥ this. @defaultValue 0 */
  readonly minStep?: number;
  /** The rule acts only once the trial has reported this many values. @defaultValue 2 */
  readonly minReports?: number;
}

export interface ShouldStopTrialInput {
  readonly spec: Pick<HyperparameterSpec, 'goal'>;
  /** The running trial's intermediate objective values so far. */
  readonly trial: { readonly intermediate: readonly IntermediateValue[] };
  /** Finished trials (succeeded or stopped) with their intermediate values. */
  readonly completedTrials: readonly { readonly intermediate?: readonly IntermediateValue[] }[];
  /** Overrides `spec.goal`. */
  readonly goal?: Goal;
  readonly options?: MedianStoppingOptions;
}

/** The rule's verdict, with the numbers behind it for the log. */
export interface StopDecision {
  readonly stop: boolean;
  readonly reason: string;
  /** The trial's latest step, which the comparison is made at. */
  readonly step?: number;
  /** The trial's best value up to `step`. */
  readonly best?: number;
  /** Median of the completed trials' running averages at `step`. */
  readonly median?: number;
  /** Completed trials that reported at or before `step`. */
  readonly compared?: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * The median stopping rule (Golovin et al., "Google Vizier", KDD 2017): stop
 * a trial whose best objective up to its latest step s is strictly worse than
 * the median of the completed trials' running averages (mean of their values
 * reported at steps ≤ s).
 */
export const shouldStopTrial = (input: ShouldStopTrialInput): StopDecision => {
  const goal = resolveGoal(input.spec, input.goal);
  const minCompleted = input.options?.minCompletedTrials ?? 3;
  const minStep = input.options?.minStep ?? 0;
  const minReports = input.options?.minReports ?? 2;
  const reports = input.trial.intermediate.filter((p) => Number.isFinite(p.value));
  if (reports.length === 0 || reports.length < minReports) {
    return { stop: false, reason: `${reports.length} of ${minReports} reports needed` };
  }
  const step = Math.max(...reports.map((p) => p.step));
  if (step < minStep) return { stop: false, reason: `step ${step} is before ${minStep}`, step };
  const values = reports.filter((p) => p.step <= step).map((p) => p.value);
  const best = goal === 'MAXIMIZE' ? Math.max(...values) : Math.min(...values);
  const averages: number[] = [];
  for (const completed of input.completedTrials) {
    const upTo = (completed.intermediate ?? []).filter(
      (p) => p.step <= step && Number.isFinite(p.value),
    );
    if (upTo.length > 0) averages.push(upTo.reduce((s, p) => s + p.value, 0) / upTo.length);
  }
  if (averages.length < minCompleted) {
    return {
      stop: false,
      reason: `${averages.length} of ${minCompleted} completed trials reported by step ${step}`,
      step,
      best,
      compared: averages.length,
    };
  }
  const m = median(averages);
  const worse = goal === 'MAXIMIZE' ? best < m : best > m;
  return {
    stop: worse,
    reason: worse
      ? `best ${best} by step ${step} is worse than the median running average ${m}`
      : `best ${best} by step ${step} is not worse than the median running average ${m}`,
    step,
    best,
    median: m,
    compared: averages.length,
  };
};
