/**
 * Errors that name the request fields at fault: the one way to build a
 * StratusError with field violations (the API's BadRequest detail lists them).
 */
import { StratusError, type ErrorCode, type ErrorContext, type FieldViolation } from './errors.js';

/** Summarise violations for an error message: the first, and how many more. */
export const summarizeViolations = (violations: readonly FieldViolation[]): string => {
  const [first] = violations;
  if (first === undefined) return 'no violations';
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  return `${first.field === '' ? 'body' : first.field}: ${first.description}${more}`;
};

/**
 * `code` with one violation of `field`; the message's `{detail}` is
 * `<field>: <description>` unless `context` sets its own.
 */
export const fieldError = (
  code: ErrorCode,
  field: string,
  description: string,
  context: ErrorContext = {},
): StratusError =>
  new StratusError(
    code,
    { detail: `${field}: ${description}`, ...context },
    { violations: [{ field, description }] },
  );

/** `code` with every violation; the message's `{detail}` summarises them. */
export const violationsError = (
  code: ErrorCode,
  violations: readonly FieldViolation[],
): StratusError =>
  new StratusError(code, { detail: summarizeViolations(violations) }, { violations });
