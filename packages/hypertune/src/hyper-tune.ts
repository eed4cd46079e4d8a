import { writeMetricReport, type ReportOptions } from './report-metric.js';
import { getMetricFilePath, getTrialId } from './trial-context.js';

/** What `HyperTune.report_hyperparameter_tuning_metric` takes, by the same names in camelCase. */
export interface TuningMetric {
  /** Must match the job's `hyperparameterMetricTag`; empty means `training/hptuning/metric`. */
  readonly hyperparameterMetricTag?: string;
  readonly metricValue: number;
  /** @defaultValue 0 */
  readonly globalStep?: number;
  /** @defaultValue '' */
  readonly checkpointPath?: string;
}

/**
 * The `HyperTune` class of Google's Python `cloudml-hypertune`, for code ported from it:
 *
 *     hpt = hypertune.HyperTune()
 *     hpt.report_hyperparameter_tuning_metric(hyperparameter_metric_tag='accuracy',
 *                                             metric_value=0.93, global_step=epoch)
 *
 * becomes `new HyperTune().reportHyperparameterTuningMetric({hyperparameterMetricTag:
 * 'accuracy', metricValue: 0.93, globalStep: epoch})`. As in Python, the metrics file and the
 * trial id are read from the environment when it is made.
 */
export class HyperTune {
  /** CLOUD_ML_HP_METRIC_FILE, else `/tmp/hypertune/output.metrics`. */
  readonly metricPath: string;
  /** CLOUD_ML_TRIAL_ID (or STRATUS_TRIAL_ID), else `'0'`. */
  readonly trialId: string;
  private readonly now: (() => number) | undefined;

  constructor(options: ReportOptions = {}) {
    this.metricPath = getMetricFilePath(options);
    this.trialId = getTrialId(options);
    this.now = options.now;
  }

  /** Write one metric record, keeping the file's newest 100 (see metrics-file.ts). */
  reportHyperparameterTuningMetric(metric: TuningMetric): void {
    writeMetricReport(
      this.metricPath,
      this.trialId,
      {
        value: metric.metricValue,
        ...(metric.hyperparameterMetricTag === undefined
          ? {}
          : { tag: metric.hyperparameterMetricTag }),
        ...(metric.globalStep === undefined ? {} : { step: metric.globalStep }),
        ...(metric.checkpointPath === undefined ? {} : { checkpointPath: metric.checkpointPath }),
      },
      this.now,
    );
  }
}
