import { acceleratorCount, requiresGpu, type TrainingInput } from './training-input.js';

/**
 * ML units a training job consumes per hour of trial run time, by scale tier
 * (Cloud ML's relative prices of its tiers): BASIC 1, STANDARD_1 10,
 * PREMIUM_1 75, BASIC_GPU 3; CUSTOM 1 on the CPU queue and 3 per accelerator
 * (at least one) on the GPU queue.
 */
export const ML_UNITS_PER_HOUR = { BASIC: 1, STANDARD_1: 10, PREMIUM_1: 75, BASIC_GPU: 3 } as const;

/** ML units per trial hour of a job (ML_UNITS_PER_HOUR). */
export const mlUnitsPerHour = (input: TrainingInput): number => {
  const tier = input.scaleTier ?? 'BASIC';
  if (tier === 'CUSTOM') {
    return requiresGpu(input) ? 3 * Math.max(1, acceleratorCount(input.masterConfig)) : 1;
  }
  return tier === 'BASIC_TPU' ? 0 : ML_UNITS_PER_HOUR[tier];
};

/** A trial's run time: start to end, in seconds (0 until it has both). */
const runSeconds = (trial: { readonly startTime?: string; readonly endTime?: string }): number =>
  trial.startTime === undefined || trial.endTime === undefined
    ? 0
    : Math.max(0, (Date.parse(trial.endTime) - Date.parse(trial.startTime)) / 1000);

/**
 * Cloud ML's `consumedMLUnits`: the run time of the job's ended trials in
 * hours × the tier's ML units per hour, rounded to 4 decimals.
 */
export const consumedMLUnits = (
  input: TrainingInput,
  trials: readonly { readonly startTime?: string; readonly endTime?: string }[],
): number => {
  const hours = trials.reduce((sum, trial) => sum + runSeconds(trial), 0) / 3600;
  return Math.round(hours * mlUnitsPerHour(input) * 10_000) / 10_000;
};
