import { StratusError, type FieldViolation } from '@stratus/spec';

/**
 * Small parsers for environment values. Each returns the parsed value or a
 * problem description; the caller collects problems so one error can name
 * every bad variable at once.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

/** An integer in [min, max]. */
export const parseInteger = (raw: string, min: number, max: number): Parsed<number> => {
  const trimmed = raw.trim();
  if (!/^-?\d+$/.test(trimmed)) return bad(`must be an integer from ${min} to ${max}`);
  const value = Number(trimmed);
  if (value < min || value > max) return bad(`must be an integer from ${min} to ${max}`);
  return ok(value);
};

/** A decimal number in [min, max] (e.g. a rate: `0.1`). */
export const parseDecimal = (raw: string, min: number, max: number): Parsed<number> => {
  const trimmed = raw.trim();
  const value = Number(trimmed);
  if (trimmed === '' || !Number.isFinite(value) || value < min || value > max) {
    return bad(`must be a number from ${min} to ${max}`);
  }
  return ok(value);
};

/** One of a fixed set of words (case-insensitive input, canonical output). */
export const parseChoice = <T extends string>(raw: string, choices: readonly T[]): Parsed<T> => {
  const lowered = raw.trim().toLowerCase();
  const found = choices.find((choice) => choice.toLowerCase() === lowered);
  return found === undefined ? bad(`must be one of ${choices.join(', ')}`) : ok(found);
};

/** A comma-separated, non-empty list of distinct words from a fixed set. */
export const parseChoiceList = <T extends string>(
  raw: string,
  choices: readonly T[],
): Parsed<readonly T[]> => {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
  if (items.length === 0) return bad(`must list at least one of ${choices.join(', ')}`);
  const result: T[] = [];
  for (const item of items) {
    const parsed = parseChoice(item, choices);
    if (!parsed.ok)
      return bad(`"${item}" is not allowed; each entry must be one of ${choices.join(', ')}`);
    if (!result.includes(parsed.value)) result.push(parsed.value);
  }
  return ok(result);
};

/** A URL whose protocol is one of `protocols` (e.g. `redis:`). */
export const parseUrl = (raw: string, protocols: readonly string[]): Parsed<string> => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return bad(`must be a URL such as ${protocols[0]}//127.0.0.1`);
  }
  if (!protocols.includes(url.protocol)) {
    return bad(`must use ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  if (url.hostname === '') return bad('must name a host');
  return ok(raw.trim());
};

/**
 * A GCS emulator address. `host:port` gains `http://`, because
 * @google-cloud/storage only honours the emulator with an explicit scheme.
 */
export const parseEmulatorHost = (raw: string): Parsed<string> => {
  const trimmed = raw.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z]+:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  const parsed = parseUrl(withScheme, ['http:', 'https:']);
  if (!parsed.ok) return bad('must be host:port or http(s)://host:port');
  const url = new URL(withScheme);
  if (url.pathname !== '/' && url.pathname !== '') return bad('must not contain a path');
  return ok(`${url.protocol}//${url.host}`);
};

/** A Redis key prefix: letters, digits and `_-.:{}` (hash tags allowed), no spaces. */
export const parseKeyPrefix = (raw: string): Parsed<string> => {
  const trimmed = raw.trim().replace(/:+$/, '');
  if (!/^[A-Za-z0-9_.\-{}:]{1,64}$/.test(trimmed)) {
    return bad('must be 1-64 characters of letters, digits, _ - . : { }');
  }
  return ok(trimmed);
};

/** A non-empty secret of reasonable length (never echoed back in the problem). */
export const parseSecret = (raw: string, minLength: number): Parsed<string> => {
  if (raw.length < minLength) return bad(`must be at least ${minLength} characters`);
  if (/\s/.test(raw)) return bad('must not contain whitespace');
  return ok(raw);
};

/** Throw INVALID_CONFIG listing every violation (the one error a bad configuration raises). */
export const assertNoViolations = (violations: readonly FieldViolation[]): void => {
  if (violations.length === 0) return;
  throw new StratusError(
    'INVALID_CONFIG',
    { detail: violations.map((violation) => violation.description).join('; ') },
    { violations },
  );
};
