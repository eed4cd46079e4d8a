import type { StratusError } from '../errors.js';
import { fieldError } from '../field-errors.js';

/** INVALID_ARGUMENT naming the `filter` field: every filter problem is reported this way. */
export const filterError = (description: string): StratusError =>
  fieldError('INVALID_ARGUMENT', 'filter', description);

/** How an error message names a token: its text (quoted) and 1-based position. */
export const describeAt = (text: string, position: number): string =>
  text === ''
    ? `end of filter at position ${position}`
    : `${JSON.stringify(text)} at position ${position}`;
