import { StratusError } from '@stratus/spec';

/** INVALID_PREDICT_REQUEST (400) with `detail` naming the instance, input or field. */
export const invalidRequest = (detail: string): StratusError =>
  new StratusError('INVALID_PREDICT_REQUEST', { detail });

/** A JSON object (not null, not an array). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
