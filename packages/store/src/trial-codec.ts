import type { HyperparameterOutput } from '@stratus/spec';
import { compact } from './compact.js';
import { TRIAL_STATES, type TrialState } from './trial-state.js';

/** The running summary of a trial's objective metric (what early stopping compares). */
export interface IntermediateSummary {
  /** Values reported so far. */
  readonly count: number;
  readonly lastStep: number;
  readonly lastValue: number;
  /** Mean of all reported values. */
  readonly mean: number;
  /** Best value by the job's goal; absent when the goal is unknown. */
  readonly best?: number;
}

/** A trial as the store keeps it (richer than Cloud ML's HyperparameterOutput). */
export interface TrialRecord {
  /** Decimal trial number: `"1"`, `"2"`, … */
  readonly trialId: string;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly state: TrialState;
  /** How many times a worker claimed it (more than 1 after a worker died). */
  readonly attempts: number;
  readonly workerId?: string;
  readonly createTime: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly finalMetric?: { readonly trainingStep: number; readonly objectiveValue: number };
  readonly intermediate?: IntermediateSummary;
  readonly modelDir?: string;
  readonly errorMessage?: string;
  /** A batch prediction shard's counts: rows read so far, and once finished its results and errors. */
  readonly shard?: {
    readonly rowsDone: number;
    readonly predictionCount?: number;
    readonly errorCount?: number;
  };
}

const num = (value: string | undefined): number | undefined =>
  value === undefined ? undefined : Number(value);

const trialState = (value: string | undefined): TrialState => {
  const state = TRIAL_STATES.find((candidate) => candidate === value);
  if (state === undefined) throw new TypeError(`stored trial state "${String(value)}" is unknown`);
  return state;
};

/** Decode a trial hash (HGETALL); undefined when the hash is empty. */
export const decodeTrial = (hash: Readonly<Record<string, string>>): TrialRecord | undefined => {
  if (hash.trialId === undefined) return undefined;
  const count = num(hash.stepCount) ?? 0;
  const objective = num(hash.objective);
  return compact<TrialRecord>({
    trialId: hash.trialId,
    hyperparameters: JSON.parse(hash.hyperparameters ?? '{}') as Record<string, string>,
    state: trialState(hash.state),
    attempts: num(hash.attempts) ?? 0,
    workerId: hash.workerId,
    createTime: hash.createTime ?? '',
    startTime: hash.startTime,
    endTime: hash.endTime,
    finalMetric:
      objective === undefined
        ? undefined
        : { trainingStep: num(hash.finalStep) ?? 0, objectiveValue: objective },
    intermediate:
      count === 0
        ? undefined
        : compact<IntermediateSummary>({
            count,
            lastStep: num(hash.lastStep) ?? 0,
            lastValue: num(hash.lastValue) ?? 0,
            mean: (num(hash.valueSum) ?? 0) / count,
            best: num(hash.bestValue),
          }),
    modelDir: hash.modelDir,
    errorMessage: hash.errorMessage,
    shard:
      hash.rowsDone === undefined
        ? undefined
        : compact({
            rowsDone: Number(hash.rowsDone),
            predictionCount: num(hash.predictionCount),
            errorCount: num(hash.errorCount),
          }),
  });
};

/** Cloud ML's view of a trial; STOPPED reads as SUCCEEDED with `isTrialStoppedEarly`, as there. */
export const toHyperparameterOutput = (trial: TrialRecord): HyperparameterOutput =>
  compact<HyperparameterOutput>({
    trialId: trial.trialId,
    hyperparameters: { ...trial.hyperparameters },
    state: trial.state === 'STOPPED' ? 'SUCCEEDED' : trial.state,
    finalMetric:
      trial.finalMetric === undefined
        ? undefined
        : {
            trainingStep: String(trial.finalMetric.trainingStep),
            objectiveValue: trial.finalMetric.objectiveValue,
          },
    isTrialStoppedEarly: trial.state === 'STOPPED',
    startTime: trial.startTime,
    endTime: trial.endTime,
    errorMessage: trial.errorMessage,
  });

/**
 * A trial as `@stratus/tuner` reads it (structurally its `TrialRecord`; the
 * store does not depend on the tuner, docs/architecture.md).
 */
export interface TunerTrialView {
  readonly trialId: string;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly state: TrialState;
  readonly objective?: number;
  readonly intermediate?: readonly { readonly step: number; readonly value: number }[];
}

/**
 * A stored trial as the tuner reads it: its final objective, and its last
 * intermediate value (which stands in for the objective of a stopped trial
 * that never reported a final one).
 */
export const toTunerTrial = (trial: TrialRecord): TunerTrialView =>
  compact<TunerTrialView>({
    trialId: trial.trialId,
    hyperparameters: trial.hyperparameters,
    state: trial.state,
    objective: trial.finalMetric?.objectiveValue,
    intermediate:
      trial.intermediate === undefined
        ? undefined
        : [{ step: trial.intermediate.lastStep, value: trial.intermediate.lastValue }],
  });
