import { readFile } from 'node:fs/promises';
import { parseMetricsText, type HypertuneMetric } from './metric-record.js';

/**
 * Every metric in a hypertune metrics file, in the order written. A missing file is an empty
 * list (the trainer reported nothing); lines that are not metric records are skipped, and an
 * unterminated last line is taken only if it is complete JSON.
 */
export async function readMetricsFile(file: string): Promise<HypertuneMetric[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return parseMetricsText(text).metrics;
}
