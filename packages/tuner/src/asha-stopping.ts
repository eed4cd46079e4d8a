import type { Goal } from './goal.js';
import type { IntermediateValue } from './trial.js';

/** Successive-halving settings (`automatedStoppingConfig.ashaStoppingConfig`, defaults applied). */
export interface AshaOptions {
  /** The first rung's step. */
  readonly minSteps: number;
  /** η: rungs at minSteps·η^k, and the top 1/η at each rung go on. */
  readonly reductionFactor: number;
  /** No rung at or beyond this step; missing: no bound. */
  readonly maxSteps?: number;
}

export interface AshaInput {
  readonly goal: Goal;
  readonly options: AshaOptions;
  /** The running trial's objective values so far. */
  readonly trial: { readonly intermediate: readonly IntermediateValue[] };
  /** The job's other trials, in any state (running ones too), with their values so far. */
  readonly others: readonly { readonly intermediate?: readonly IntermediateValue[] }[];
}

/** ASHA's verdict, with the numbers behind it for the log. */
export interface AshaDecision {
  readonly stop: boolean;
  readonly reason: string;
  /** The rung the verdict was taken at (the last one checked). */
  readonly rung?: number;
  /** Trials (this one included) that have reached `rung`. */
  readonly compared?: number;
  /** How many of them go on: max(1, ⌊compared/η⌋). */
  readonly kept?: number;
}

/** The rungs minSteps·η^k that are ≤ `upTo` and below maxSteps, ascending. */
export const ashaRungs = (options: AshaOptions, upTo: number): number[] => {
  const rungs: number[] = [];
  const bound = Math.min(upTo, (options.maxSteps ?? Infinity) - 1);
  for (let rung = options.minSteps; rung <= bound; rung *= options.reductionFactor) {
    rungs.push(rung);
  }
  return rungs;
};

/** A series' value at `rung`: its first finite report at a step ≥ the rung. */
const valueAt = (series: readonly IntermediateValue[], rung: number): number | undefined => {
  let first: IntermediateValue | undefined;
  for (const point of series) {
    if (point.step >= rung && Number.isFinite(point.value)) {
      if (first === undefined || point.step < first.step) first = point;
    }
  }
  return first?.value;
};

/**
 * Asynchronous successive halving (Li et al., "A System for Massively
 * Parallel Hyperparameter Tuning", 2018) as a stopping rule: when a trial's
 * latest report takes it past a rung, it goes on only if its value there is
 * among the best max(1, ⌊n/η⌋) of the n trials that have reached that rung
 * so far (itself included); else it stops now. A trial is judged at each rung
 * once, when it gets there, and never demoted later.
 */
export const ashaDecision = (input: AshaInput): AshaDecision => {
  const { goal, options } = input;
  const reports = input.trial.intermediate.filter((p) => Number.isFinite(p.value));
  if (reports.length === 0) return { stop: false, reason: 'no report yet' };
  const latest = Math.max(...reports.map((p) => p.step));
  const before = Math.max(-Infinity, ...reports.filter((p) => p.step < latest).map((p) => p.step));
  const reached = ashaRungs(options, latest).filter((rung) => rung > before);
  if (reached.length === 0) return { stop: false, reason: `step ${latest} reaches no new rung` };
  const better = (a: number, b: number): number => (goal === 'MAXIMIZE' ? b - a : a - b);
  let last: AshaDecision = { stop: false, reason: '' };
  for (const rung of reached) {
    const own = valueAt(reports, rung) as number;
    const values = [own];
    for (const other of input.others) {
      const value = valueAt(other.intermediate ?? [], rung);
      if (value !== undefined) values.push(value);
    }
    values.sort(better);
    const kept = Math.max(1, Math.floor(values.length / options.reductionFactor));
    const cutoff = values[kept - 1] as number;
    const goesOn = better(own, cutoff) <= 0;
    last = {
      stop: !goesOn,
      reason: `${own} at rung ${rung} is ${goesOn ? 'among' : 'outside'} the best ${kept} of ${values.length} trials there (cutoff ${cutoff})`,
      rung,
      compared: values.length,
      kept,
    };
    if (!goesOn) return last;
  }
  return last;
};
