/**
 * How raw cell values are read, shared by the statistics pass, the
 * featurizer and the predictor so that training and serving agree.
 */

const MISSING_TOKENS = new Set(['', 'na', 'nan', 'null', 'n/a']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const isSpace = (code: number): boolean => code === 32 || code === 9 || code === 10 || code === 13;

function trimmed(text: string): string {
  const n = text.length;
  if (n === 0) return text;
  return isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(n - 1)) ? text.trim() : text;
}

/** Absent, null, NaN, or one of "", "NA", "NaN", "null", "N/A" in any case (blanks around allowed). */
export function isMissing(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  if (typeof value !== 'string') return false;
  const text = trimmed(value);
  return text.length <= 4 && MISSING_TOKENS.has(text.toLowerCase());
}

/** The number a present value stands for, or NaN when it is not a plain decimal number. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  const text = trimmed(value);
  return NUMBER.test(text) ? Number(text) : Number.NaN;
}

/** The category a present value stands for; undefined for objects and arrays, which have none. */
export function toCategory(value: unknown): string | undefined {
  if (typeof value === 'string') return trimmed(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Describe a value's type for an error message. */
export function typeOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `the ${typeof value} ${JSON.stringify(value)}`;
}

/** Quote a value for an error message, shortened so one bad cell cannot flood a log. */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const short = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return JSON.stringify(short);
}
