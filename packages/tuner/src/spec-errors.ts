import { StratusError, fieldError } from '@stratus/spec';

/** INVALID_HYPERPARAMETER_SPEC for one field of the HyperparameterSpec (`params[2].minValue`). */
export const specViolation = (field: string, description: string): StratusError =>
  fieldError('INVALID_HYPERPARAMETER_SPEC', field, description);

/** INVALID_HYPERPARAMETER_VALUE for a trial's value of one parameter. */
export const valueError = (name: string, raw: number | string, detail: string): StratusError =>
  new StratusError('INVALID_HYPERPARAMETER_VALUE', { value: String(raw), name, detail });
