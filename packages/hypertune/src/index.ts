export {
  reportHyperparameterTuningMetric,
  type MetricReport,
  type ReportOptions,
} from './report-metric.js';
export { HyperTune, type TuningMetric } from './hyper-tune.js';
export { MAX_METRIC_RECORDS } from './metrics-file.js';
export { readMetricsFile } from './read-metrics.js';
export {
  DEFAULT_METRIC_TAG,
  formatMetricLine,
  formatPythonFloat,
  parseMetricLine,
  parseMetricsText,
  parsePythonFloat,
  type HypertuneMetric,
  type ParsedMetrics,
} from './metric-record.js';
export {
  DEFAULT_METRIC_FILE,
  getCheckpointDir,
  getFlag,
  getHyperparameters,
  getJobDir,
  getJobId,
  getMetricFilePath,
  getModelDir,
  getTrialId,
  type HypertuneContext,
} from './trial-context.js';
