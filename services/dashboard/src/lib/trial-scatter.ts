import type { HyperparameterOutput, ParameterSpec } from '@stratus/spec';

/**
 * (value, objective) pairs of one parameter over the finished trials, sorted by
 * value: x is the number, or the category's index for CATEGORICAL. Trials in
 * which the parameter was inactive (a conditional parameter whose parent held
 * another value) have no value and are left out.
 */
export const scatterPoints = (
  param: ParameterSpec,
  trials: readonly HyperparameterOutput[],
): [x: number, y: number][] => {
  const categories = param.type === 'CATEGORICAL' ? (param.categoricalValues ?? []) : undefined;
  return trials
    .flatMap((trial): [number, number][] => {
      const raw = trial.hyperparameters[param.parameterName];
      const y = trial.finalMetric?.objectiveValue;
      if (raw === undefined || raw.trim() === '' || y === undefined) return [];
      const x = categories === undefined ? Number(raw) : categories.indexOf(raw);
      return Number.isFinite(x) &&
        x >= (categories === undefined ? -Infinity : 0) &&
        Number.isFinite(y)
        ? [[x, y]]
        : [];
    })
    .sort((a, b) => a[0] - b[0]);
};
