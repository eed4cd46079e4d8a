/** Log severities, named as Cloud Logging names them. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

export interface TrialProgress {
  /** Epochs completed so far (1-based after the first epoch). */
  readonly epoch: number;
  readonly totalEpochs: number;
  /** Training throughput of the last epoch. */
  readonly samplesPerSecond: number;
  readonly trainSamples: number;
}

/**
 * Where a running trial sends what it learns. The worker streams these into
 * Redis; `stratus local train` prints them; tests collect them.
 */
export interface TrialReporter {
  log(severity: Severity, message: string): void;
  /** Metric values at one step (the epoch number for built-in algorithms). */
  metrics(step: number, values: Readonly<Record<string, number>>): void;
  progress(progress: TrialProgress): void;
}

export interface RecordedTrial {
  readonly logs: Array<{ severity: Severity; message: string }>;
  readonly metrics: Array<{ step: number; values: Record<string, number> }>;
  readonly progress: TrialProgress[];
}

/** A reporter that keeps everything in memory (tests, `local train` summaries). */
export function createMemoryReporter(): TrialReporter & { readonly recorded: RecordedTrial } {
  const recorded: RecordedTrial = { logs: [], metrics: [], progress: [] };
  return {
    recorded,
    log: (severity, message) => recorded.logs.push({ severity, message }),
    metrics: (step, values) => recorded.metrics.push({ step, values: { ...values } }),
    progress: (progress) => recorded.progress.push(progress),
  };
}
