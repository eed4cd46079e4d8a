/** A worker process's log lines from now on, to say what it complained about when a test fails. */
import { createInterface } from 'node:readline';
import type { WorkerProcess } from '../../support/stratus-e2e.js';

export interface WorkerLog {
  /** Its warning and error lines (pino level ≥ 40), the last 40. */
  problems(): string[];
  stop(): void;
}

export const collectLines = (worker: WorkerProcess): WorkerLog => {
  const problems: string[] = [];
  const lines = createInterface({ input: worker.child.stdout! });
  const collect = (line: string): void => {
    try {
      if ((JSON.parse(line) as { level?: number }).level! >= 40) problems.push(line);
    } catch {
      problems.push(line);
    }
  };
  lines.on('line', collect);
  // Not close(): that would pause the worker's stdout, and a worker whose pipe fills up blocks.
  return { problems: () => problems.slice(-40), stop: () => lines.off('line', collect) };
};
