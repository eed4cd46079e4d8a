import {
  resolveAshaStopping,
  resolveHyperparameterSpec,
  trainerModuleOf,
  type Job,
  type PredictionInput,
  type TrainingInput,
} from '@stratus/spec';
import type { ColumnSpec, Printer, ResourceView } from '../output/printer.js';
import { formatMetric } from './metric-lines.js';

/** One row of the trials table. */
export interface TrialRow {
  readonly trialId: string;
  readonly state: string;
  readonly objective?: number;
  readonly trainingStep?: string;
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly stoppedEarly: boolean;
}

/** What `jobs describe --summarize` prints: an overview and the trials, best first. */
export interface JobSummary {
  readonly overview: Readonly<Record<string, string | number | boolean>>;
  readonly trials: readonly TrialRow[];
}

const duration = (start?: string, end?: string): string | undefined => {
  if (start === undefined) return undefined;
  const ms = (end === undefined ? Date.now() : Date.parse(end)) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [h > 0 ? `${h}h` : '', h > 0 || m > 0 ? `${m}m` : '', `${s % 60}s`]
    .filter(Boolean)
    .join(' ');
};

const goalOf = (input: TrainingInput): 'MAXIMIZE' | 'MINIMIZE' => {
  const spec = input.hyperparameters;
  if (spec === undefined) return 'MAXIMIZE';
  try {
    return resolveHyperparameterSpec(spec, input.builtinAlgorithm?.name).goal;
  } catch {
    return 'MAXIMIZE';
  }
};

/** A batch prediction job's overview: its input, output and progress (it has no trials). */
const summarizePredictionJob = (job: Job, input: PredictionInput): JobSummary => {
  const output = job.predictionOutput;
  const total = output?.totalCount === undefined ? undefined : Number(output.totalCount);
  const processed = Number(output?.processedCount ?? 0);
  const entries: Array<[string, string | number | boolean | undefined]> = [
    ['jobId', job.jobId],
    ['state', job.state],
    ['model', input.versionName ?? input.modelName ?? input.uri],
    ['dataFormat', input.dataFormat],
    ['inputPaths', input.inputPaths.join(', ')],
    ['outputPath', input.outputPath],
    ['createTime', job.createTime],
    ['startTime', job.startTime],
    ['endTime', job.endTime],
    ['duration', duration(job.startTime, job.endTime)],
    ['errorMessage', job.errorMessage === '' ? undefined : job.errorMessage],
    [
      'progress',
      total === undefined || total === 0
        ? undefined
        : `${processed}/${total} rows (${Math.floor((processed * 100) / total)}%)`,
    ],
    [
      'shards',
      output?.shardCount === undefined
        ? undefined
        : `${output.completedShardCount ?? 0}/${output.shardCount}`,
    ],
    ['predictionCount', output?.predictionCount],
    ['errorCount', output?.errorCount],
    [
      'rowsPerSecond',
      output?.rowsPerSecond === undefined ? undefined : Math.round(output.rowsPerSecond),
    ],
    [
      'nodeHours',
      output?.nodeHours === undefined ? undefined : Number(output.nodeHours.toFixed(4)),
    ],
  ];
  const overview = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Record<
    string,
    string | number | boolean
  >;
  return { overview, trials: [] };
};

/** The tuning job's stopping rule in words: `ASHA (minSteps 1, reductionFactor 3)` or `median rule`. */
const stoppingRuleOf = (input: TrainingInput): string | undefined => {
  const spec = input.hyperparameters;
  const asha = spec?.automatedStoppingConfig?.ashaStoppingConfig;
  if (asha !== undefined) {
    const { minSteps, reductionFactor, maxSteps } = resolveAshaStopping(asha);
    const bound = maxSteps === undefined ? '' : `, maxSteps ${maxSteps}`;
    return `ASHA (minSteps ${minSteps}, reductionFactor ${reductionFactor}${bound})`;
  }
  const median =
    spec?.enableTrialEarlyStopping === true ||
    spec?.automatedStoppingConfig?.medianAutomatedStoppingConfig !== undefined;
  return median ? 'median rule' : undefined;
};

/** The overview and trials of a job; trials with an objective come first, best first. */
export const summarizeJob = (job: Job): JobSummary => {
  if (job.predictionInput !== undefined) return summarizePredictionJob(job, job.predictionInput);
  const input: TrainingInput = job.trainingInput ?? {};
  const module = trainerModuleOf(input);
  const output = job.trainingOutput;
  const goal = goalOf(input);
  const trials: TrialRow[] = (output?.trials ?? []).map((trial) => ({
    trialId: trial.trialId,
    state: trial.state,
    ...(trial.finalMetric === undefined
      ? {}
      : {
          objective: trial.finalMetric.objectiveValue,
          trainingStep: trial.finalMetric.trainingStep,
        }),
    hyperparameters: trial.hyperparameters,
    stoppedEarly: trial.isTrialStoppedEarly === true,
  }));
  const sign = goal === 'MAXIMIZE' ? -1 : 1;
  trials.sort((a, b) => {
    if (a.objective !== undefined && b.objective !== undefined && a.objective !== b.objective) {
      return sign * (a.objective - b.objective);
    }
    if ((a.objective === undefined) !== (b.objective === undefined)) {
      return a.objective === undefined ? 1 : -1;
    }
    return Number(a.trialId) - Number(b.trialId);
  });
  const entries: Array<[string, string | number | boolean | undefined]> = [
    ['jobId', job.jobId],
    ['state', job.state],
    [
      'trainer',
      input.builtinAlgorithm?.name ?? (module === undefined ? undefined : `module ${module}`),
    ],
    ['scaleTier', input.scaleTier ?? 'BASIC'],
    ['masterType', input.masterType],
    ['runtimeVersion', input.runtimeVersion],
    ['createTime', job.createTime],
    ['startTime', job.startTime],
    ['endTime', job.endTime],
    ['duration', duration(job.startTime, job.endTime)],
    ['errorMessage', job.errorMessage === '' ? undefined : job.errorMessage],
    ['jobDir', input.jobDir],
    ['modelDir', output?.modelDir],
    [
      'hyperparameterMetricTag',
      output?.hyperparameterMetricTag ?? input.hyperparameters?.hyperparameterMetricTag,
    ],
    ['goal', input.hyperparameters === undefined ? undefined : goal],
    ['earlyStopping', stoppingRuleOf(input)],
    ['completedTrialCount', output?.completedTrialCount],
    ['consumedMLUnits', output?.consumedMLUnits],
    ['maxTrials', input.hyperparameters?.maxTrials],
    ['bestTrialId', output?.bestTrialId],
  ];
  const overview = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Record<
    string,
    string | number | boolean
  >;
  return { overview, trials };
};

/** The trials table: id, state, objective, step, one column per hyperparameter, early stop. */
const trialsView = (summary: JobSummary): ResourceView => {
  const params = [...new Set(summary.trials.flatMap((t) => Object.keys(t.hyperparameters)))];
  const columns: ColumnSpec[] = [
    { field: 'trialId', header: 'TRIAL' },
    { field: 'state', state: true },
    {
      field: 'objective',
      header: String(summary.overview.hyperparameterMetricTag ?? 'objective').toUpperCase(),
      alignRight: true,
      cell: (row) => {
        const value = (row as TrialRow).objective;
        return value === undefined ? '' : formatMetric(value);
      },
    },
    { field: 'trainingStep', header: 'STEP', alignRight: true },
    ...params.map((name) => ({ field: `hyperparameters.${name}`, header: name })),
    {
      field: 'stoppedEarly',
      header: 'EARLY_STOPPED',
      cell: (row) => {
        const trial = row as TrialRow;
        if (!trial.stoppedEarly) return '';
        return trial.trainingStep === undefined ? 'yes' : `stopped at step ${trial.trainingStep}`;
      },
    },
  ];
  return { columns };
};

/**
 * Print a summary: by default the overview as `key: value` lines and the
 * trials table; `--format json|yaml` prints the summary object, and
 * `table(...)`/`value(...)` apply to the trial rows.
 */
export const printSummary = async (
  printer: Printer,
  format: string | undefined,
  summary: JobSummary,
): Promise<void> => {
  const kind = format?.trim();
  if (kind === 'json' || kind === 'yaml') {
    await printer.resource(summary, { columns: [], defaultFormat: kind });
    return;
  }
  if (format !== undefined) {
    await printer.resources(summary.trials, trialsView(summary));
    return;
  }
  const width = Math.max(...Object.keys(summary.overview).map((key) => key.length));
  for (const [key, value] of Object.entries(summary.overview)) {
    printer.out(`${`${key}:`.padEnd(width + 2)}${String(value)}\n`);
  }
  if (summary.trials.length === 0) return;
  const tag = summary.overview.hyperparameterMetricTag;
  printer.out(`\nTrials${tag === undefined ? '' : ` (best ${String(tag)} first)`}:\n`);
  await printer.resources(summary.trials, trialsView(summary));
};
