import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Records the metrics file keeps, as cloudml-hypertune does (`_MAX_NUM_METRIC_ENTRIES_TO_PRESERVE`). */
export const MAX_METRIC_RECORDS = 100;

const readLines = (file: string): string[] => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return text.split('\n').filter((line) => line.trim() !== '');
};

/**
 * Add one record line to the metrics file, keeping its newest `MAX_METRIC_RECORDS`. Below the
 * bound the line is appended (one O_APPEND write); at the bound the newest records are written
 * to a temporary file that replaces the old one by rename, so a reader never sees a torn file.
 * Synchronous, so a value reported just before the process exits is not lost.
 */
export function addMetricRecord(file: string, line: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const lines = readLines(file);
  if (lines.length < MAX_METRIC_RECORDS) {
    appendFileSync(file, `${line}\n`);
    return;
  }
  const kept = [...lines.slice(lines.length - (MAX_METRIC_RECORDS - 1)), line];
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${kept.join('\n')}\n`);
  renameSync(temporary, file);
}
