import type { ReadOptions } from './types.js';
import { invalidOption } from './storage-errors.js';

/** A validated request for bytes `start..end` (inclusive); `end` undefined means "to the end". */
export interface RequestedRange {
  readonly start: number;
  readonly end?: number;
  /** Whether the caller asked for a range at all. */
  readonly ranged: boolean;
}

/** Bytes to transfer from an object of known size; `undefined` when nothing remains. */
export interface EffectiveRange {
  readonly start: number;
  readonly end: number;
  readonly length: number;
}

const checkOffset = (field: 'start' | 'end', value: number | undefined): void => {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 0) {
    throw invalidOption(`read option "${field}" must be a non-negative integer, got ${value}`);
  }
};

/** Validate `start`/`end` before any I/O; throws INVALID_ARGUMENT naming the option. */
export const requestedRange = (options: ReadOptions = {}): RequestedRange => {
  const { start, end } = options;
  checkOffset('start', start);
  checkOffset('end', end);
  if (start !== undefined && end !== undefined && end < start) {
    throw invalidOption(`read option "end" (${end}) must not be before "start" (${start})`);
  }
  return { start: start ?? 0, end, ranged: start !== undefined || end !== undefined };
};

/**
 * Clamp a requested range to an object of `size` bytes. Like a file read (and
 * unlike GCS's 416), a range that starts past the end yields no bytes.
 */
export const clampRange = (range: RequestedRange, size: number): EffectiveRange | undefined => {
  const end = Math.min(range.end ?? size - 1, size - 1);
  if (range.start > end) return undefined;
  return { start: range.start, end, length: end - range.start + 1 };
};
