import { DEFAULT_METRIC_TAG, formatMetricLine } from './metric-record.js';
import { addMetricRecord } from './metrics-file.js';
import { getMetricFilePath, getTrialId, type HypertuneContext } from './trial-context.js';

/** One metric report, as `HyperTune.report_hyperparameter_tuning_metric` takes it. */
export interface MetricReport {
  /** Must match the job's `hyperparameterMetricTag`. @defaultValue 'training/hptuning/metric' */
  readonly tag?: string;
  readonly value: number;
  /** Training step or epoch this value belongs to. @defaultValue 0 */
  readonly step?: number;
  /** Checkpoint the value was measured on. @defaultValue '' */
  readonly checkpointPath?: string;
}

/** Options for tests and embedders; trainers normally pass nothing. */
export interface ReportOptions extends HypertuneContext {
  /** @defaultValue Date.now */
  readonly now?: () => number;
}

/** Check and add one report to `file` for `trial` (what both the function and `HyperTune` do). */
export function writeMetricReport(
  file: string,
  trial: string,
  report: MetricReport,
  now: () => number = Date.now,
): void {
  if (typeof report.value !== 'number') {
    throw new TypeError(`hypertune: value must be a number, got ${typeof report.value}`);
  }
  const step = report.step ?? 0;
  if (!Number.isFinite(step) || step < 0) {
    throw new RangeError(`hypertune: step must be a finite number >= 0, got ${step}`);
  }
  const line = formatMetricLine({
    tag: report.tag === undefined || report.tag === '' ? DEFAULT_METRIC_TAG : report.tag,
    value: report.value,
    step: Math.trunc(step),
    trial,
    timestamp: now() / 1000,
    checkpointPath: report.checkpointPath ?? '',
  });
  addMetricRecord(file, line);
}

/**
 * Adds one metric to the hypertune metrics file (CLOUD_ML_HP_METRIC_FILE), in the
 * cloudml-hypertune line format, keeping the file's newest 100 records. The write is
 * synchronous so a value reported just before the process exits or crashes is not lost.
 */
export function reportHyperparameterTuningMetric(
  report: MetricReport,
  options: ReportOptions = {},
): void {
  writeMetricReport(getMetricFilePath(options), getTrialId(options), report, options.now);
}
