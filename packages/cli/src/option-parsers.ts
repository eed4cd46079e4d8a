import { InvalidArgumentError } from 'commander';

/** An integer flag value (`--epochs 40`); a bad one is a usage error. */
export const parseIntegerFlag = (raw: string): number => {
  if (!/^[+-]?\d+$/.test(raw.trim())) throw new InvalidArgumentError('must be an integer.');
  return Number(raw);
};

/** A number flag value (`--learning-rate 1e-3`). */
export const parseNumberFlag = (raw: string): number => {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value))
    throw new InvalidArgumentError('must be a number.');
  return value;
};

/** A positive integer (`--limit`, `--page-size`). */
export const parsePositiveFlag = (raw: string): number => {
  const value = parseIntegerFlag(raw);
  if (value < 1) throw new InvalidArgumentError('must be at least 1.');
  return value;
};

/** A count that may be 0 (`--threads 0`). */
export const parseCountFlag = (raw: string): number => {
  const value = parseIntegerFlag(raw);
  if (value < 0) throw new InvalidArgumentError('must be 0 or more.');
  return value;
};

/** A comma-separated list (`--packages a,b`); empty entries are dropped. */
export const parseListFlag = (raw: string): string[] =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** A comma-separated list of integers (`--hidden-units 32,16`). */
export const parseIntegerListFlag = (raw: string): number[] =>
  parseListFlag(raw).map((item) => {
    if (!/^\d+$/.test(item)) throw new InvalidArgumentError(`"${item}" is not an integer.`);
    return Number(item);
  });

/** `k=v,k2=v2` (`--labels`, `--hyperparameters`); repeated flags merge, later keys win. */
export const parseKeyValuesFlag = (
  raw: string,
  previous: Record<string, string> | undefined,
): Record<string, string> => {
  const result = { ...previous };
  for (const item of parseListFlag(raw)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new InvalidArgumentError(`"${item}" is not KEY=VALUE.`);
    result[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return result;
};

/** A fraction from 0 to 1 (`--max-error-rate 0.05`). */
export const parseFractionFlag = (raw: string): number => {
  const value = parseNumberFlag(raw);
  if (value < 0 || value > 1) throw new InvalidArgumentError('must be from 0 to 1.');
  return value;
};

/**
 * A parser for a flag taking one of `choices` (API spellings such as
 * `TF_RECORD`): case-insensitive, `-` read as `_`, returned as the choice.
 */
export const choiceFlag =
  (choices: readonly string[], expected = choices.join(', ')) =>
  (raw: string): string => {
    const value = raw.trim().toUpperCase().replaceAll('-', '_');
    if (!choices.includes(value)) throw new InvalidArgumentError(`must be ${expected}.`);
    return value;
  };
