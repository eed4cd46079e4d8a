import { StratusError } from '@stratus/spec';
import type { ParameterValue } from './parameter.js';
import { valueError } from './spec-errors.js';
import type { HyperparameterStrings, HyperparameterValues, SearchSpace } from './search-space.js';

/**
 * A trial's state as the job stores it (Cloud ML's Job.State words), plus
 * STOPPED for a trial the stopping rule ended. Cloud ML itself reports a
 * stopped trial as SUCCEEDED with `isTrialStoppedEarly`; both forms are read.
 */
export type TrialState =
  | 'QUEUED'
  | 'PREPARING'
  | 'RUNNING'
  | 'SUCCEEDED'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELLED'
  | 'STOPPED';

/** One reported value of the objective metric during a trial. */
export interface IntermediateValue {
  readonly step: number;
  readonly value: number;
}

/** A trial of the study so far, as the tuner reads it. */
export interface TrialRecord {
  readonly trialId: string;
  /** As stored in TrainingOutput (strings) or typed; each is parsed against the spec. */
  readonly hyperparameters: Readonly<Record<string, ParameterValue>>;
  readonly state: TrialState;
  /** `finalMetric.objectiveValue`, when the trial reported one. */
  readonly objective?: number;
  readonly isTrialStoppedEarly?: boolean;
  /** Intermediate values of the objective metric, any order. */
  readonly intermediate?: readonly IntermediateValue[];
}

/** The trials sorted into what the algorithms use. */
export interface StudyHistory {
  /** Finished trials with an objective: SUCCEEDED, and STOPPED / stopped early. */
  readonly observations: readonly { values: HyperparameterValues; objective: number }[];
  /** QUEUED, PREPARING and RUNNING trials: proposed, result unknown. */
  readonly pending: readonly HyperparameterValues[];
  /** Keys (`SearchSpace.key`) of every trial in any state, failed ones included. */
  readonly taken: ReadonlySet<string>;
  /** Number of trials of any state. */
  readonly total: number;
}

const PENDING: ReadonlySet<TrialState> = new Set(['QUEUED', 'PREPARING', 'RUNNING']);

/** The objective a finished trial contributes, or undefined if it contributes none. */
const finishedObjective = (trial: TrialRecord): number | undefined => {
  const stopped = trial.state === 'STOPPED' || trial.isTrialStoppedEarly === true;
  if (trial.state !== 'SUCCEEDED' && !stopped) return undefined;
  if (trial.objective !== undefined && Number.isFinite(trial.objective)) return trial.objective;
  if (!stopped) return undefined;
  // A stopped trial's last report is the best estimate of where it was heading.
  let last: IntermediateValue | undefined;
  for (const point of trial.intermediate ?? []) {
    if (Number.isFinite(point.value) && (last === undefined || point.step >= last.step)) {
      last = point;
    }
  }
  return last?.value;
};

/**
 * Parse stored hyperparameters (strings or typed) against the space; throws
 * naming the parameter. Active parameters are required; values of inactive
 * ones are dropped.
 */
export const parseHyperparameters = (
  space: SearchSpace,
  raw: Readonly<Record<string, ParameterValue>>,
): HyperparameterValues => {
  const out: Record<string, ParameterValue> = {};
  space.parameters.forEach((p, i) => {
    if (!space.isActive(i, out)) return;
    const value = raw[p.name];
    if (value === undefined) throw valueError(p.name, '', 'missing');
    out[p.name] = p.parse(value);
  });
  return out;
};

/** Typed values as the strings Cloud ML stores (numbers in shortest round-trip form); active ones only. */
export const formatHyperparameters = (
  space: SearchSpace,
  values: HyperparameterValues,
): HyperparameterStrings =>
  Object.fromEntries(
    space.parameters.flatMap((p) => {
      const value = values[p.name];
      return value === undefined ? [] : [[p.name, String(value)]];
    }),
  );

const parseTrial = (space: SearchSpace, trial: TrialRecord): HyperparameterValues => {
  try {
    return parseHyperparameters(space, trial.hyperparameters);
  } catch (error) {
    if (!(error instanceof StratusError)) throw error;
    const detail = `trial ${trial.trialId}: ${String(error.context['detail'] ?? '')}`;
    throw new StratusError(error.reason, { ...error.context, detail }, { cause: error });
  }
};

/**
 * Sort the trials. FAILED and CANCELLED trials (and SUCCEEDED ones that never
 * reported the metric) are left out of the model but still count as taken, so
 * the same point is not proposed again.
 */
export const readHistory = (space: SearchSpace, trials: readonly TrialRecord[]): StudyHistory => {
  const observations: { values: HyperparameterValues; objective: number }[] = [];
  const pending: HyperparameterValues[] = [];
  const taken = new Set<string>();
  for (const trial of trials) {
    const values = parseTrial(space, trial);
    taken.add(space.key(values));
    if (PENDING.has(trial.state)) {
      pending.push(values);
      continue;
    }
    const objective = finishedObjective(trial);
    if (objective !== undefined) observations.push({ values, objective });
  }
  return { observations, pending, taken, total: trials.length };
};
