import type { ChainableCommander } from 'ioredis';
import { StratusError, coerceError } from '@stratus/spec';

/** Run a pipeline (one round trip) and return its replies, throwing the first error. */
export const execPipeline = async (pipeline: ChainableCommander): Promise<unknown[]> => {
  const results = await pipeline.exec();
  if (results === null) {
    throw new StratusError('INTERNAL', { detail: 'Redis discarded a transaction' });
  }
  return results.map(([error, value]) => {
    if (error) throw coerceError(error);
    return value;
  });
};

/** A Redis hash reply (HGETALL) as a string record; empty when the key is missing. */
export const asHash = (value: unknown): Record<string, string> =>
  typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};

/** A hash a script answered as a flat field/value array (Lua's HGETALL), as an object. */
export const hashFromPairs = (value: unknown): Record<string, string> => {
  const items = asStrings(value);
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < items.length; i += 2) hash[items[i] ?? ''] = items[i + 1] ?? '';
  return hash;
};

/** A Redis array reply of strings. */
export const asStrings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map((item) => String(item)) : [];

/** Flatten `{a: '1', b: undefined}` into `['a', '1']` for HSET / script arguments. */
export const fieldArgs = (fields: Readonly<Record<string, string | undefined>>): string[] =>
  Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : [name, value]));

/** Throw INVALID_ARGUMENT unless `value` is a finite number (Redis float commands reject NaN/∞). */
export const assertFinite = (field: string, value: number): number => {
  if (!Number.isFinite(value)) {
    throw new StratusError('INVALID_ARGUMENT', { detail: `${field} must be a finite number` });
  }
  return value;
};
