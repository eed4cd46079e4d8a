import { StratusError } from '@stratus/spec';

/** A DATASET_INVALID error: `detail` says what is wrong and where (row, line, column, file). */
export function datasetError(uri: string, detail: string, cause?: unknown): StratusError {
  return new StratusError('DATASET_INVALID', { uri, detail }, { cause });
}

/** Where a record came from, for error messages: `row 7 (line 9)`. */
export function describeRow(row: number, line: number): string {
  return `row ${row} (line ${line})`;
}
