import { validateJobInput, type JobInput, type PredictionInput } from '@stratus/spec';
import { UsageError } from '../cli-errors.js';

/** Parsed values of the flags `jobs submit prediction` defines (commander's camelCase keys). */
export interface PredictionFlags {
  readonly model?: string;
  readonly version?: string;
  readonly modelDir?: string;
  readonly inputPaths: string[];
  readonly outputPath: string;
  readonly dataFormat: string;
  readonly outputDataFormat?: string;
  readonly region: string;
  readonly batchSize?: number;
  readonly maxWorkerCount?: number;
  readonly signatureName?: string;
  readonly runtimeVersion?: string;
  readonly keyField?: string;
  readonly resume?: boolean;
  readonly maxErrorRate?: number;
  readonly labels?: Record<string, string>;
}

/** `predictionInput` field (as the API's violations name it) → the flag that sets it. */
const FLAG_OF_FIELD: ReadonlyArray<readonly [string, string]> = [
  ['predictionInput.dataFormat', '--data-format'],
  ['predictionInput.outputDataFormat', '--output-data-format'],
  ['predictionInput.inputPaths', '--input-paths'],
  ['predictionInput.outputPath', '--output-path'],
  ['predictionInput.modelName', '--model'],
  ['predictionInput.versionName', '--version'],
  ['predictionInput.uri', '--model-dir'],
  ['predictionInput.batchSize', '--batch-size'],
  ['predictionInput.maxWorkerCount', '--max-worker-count'],
  ['predictionInput.signatureName', '--signature-name'],
  ['predictionInput.region', '--region'],
  ['predictionInput.runtimeVersion', '--runtime-version'],
  ['predictionInput.keyField', '--key-field'],
  ['predictionInput.maxErrorRate', '--max-error-rate'],
  ['labels', '--labels'],
];

const flagOf = (field: string): string =>
  FLAG_OF_FIELD.find(([prefix]) => field === prefix || field.startsWith(`${prefix}[`))?.[1] ??
  FLAG_OF_FIELD.find(([prefix]) => field.startsWith(`${prefix}.`))?.[1] ??
  field;

/** The model source: `--model` [+ `--version`] or `--model-dir`, exactly one. */
const modelSource = (
  flags: PredictionFlags,
  project: string,
): Pick<PredictionInput, 'modelName' | 'versionName' | 'uri'> => {
  if (flags.version === '') throw new UsageError("option '--version <version>' argument missing");
  if (flags.modelDir !== undefined) {
    if (flags.model !== undefined || flags.version !== undefined) {
      throw new UsageError(
        '--model-dir names an undeployed bundle; it cannot be combined with --model or --version',
      );
    }
    return { uri: flags.modelDir };
  }
  if (flags.model === undefined) {
    throw new UsageError(
      flags.version === undefined
        ? 'a model is required: --model MODEL [--version VERSION], or --model-dir gs://…'
        : '--version needs --model: the version of which model?',
    );
  }
  const model = `projects/${project}/models/${flags.model}`;
  return flags.version === undefined
    ? { modelName: model }
    : { versionName: `${model}/versions/${flags.version}` };
};

/**
 * The job the flags describe, checked with the API's own validator: a
 * problem is a usage error naming the flag, with the API's wording
 * (`--data-format: TF_RECORD is not supported; …`), before any request.
 */
export const predictionJobFromFlags = (
  jobId: string,
  flags: PredictionFlags,
  project: string,
): JobInput => {
  if (flags.inputPaths.length === 0) throw new UsageError('--input-paths: name at least one path');
  const input: Record<string, unknown> = {
    dataFormat: flags.dataFormat,
    ...(flags.outputDataFormat === undefined ? {} : { outputDataFormat: flags.outputDataFormat }),
    inputPaths: flags.inputPaths,
    outputPath: flags.outputPath,
    ...modelSource(flags, project),
    region: flags.region,
  };
  const optional = [
    'batchSize',
    'maxWorkerCount',
    'signatureName',
    'runtimeVersion',
    'keyField',
    'resume',
    'maxErrorRate',
  ] as const;
  for (const key of optional) if (flags[key] !== undefined) input[key] = flags[key];
  const job = {
    jobId,
    predictionInput: input,
    ...(flags.labels === undefined ? {} : { labels: flags.labels }),
  };
  const violations = validateJobInput(job);
  if (violations.length > 0) {
    throw new UsageError(
      violations.map((v) => `${flagOf(v.field)}: ${v.description}`).join('\n  '),
    );
  }
  return job as JobInput;
};
