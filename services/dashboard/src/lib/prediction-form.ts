import { validateJobInput, type JobInput } from '@stratus/spec';
import { fieldFor, type FieldErrors } from './job-form.js';

/** The batch prediction form's fields, as typed (strings until parsed). */
export interface PredictionDraft {
  jobId: string;
  /** A model's short name; '' until one is chosen. */
  model: string;
  /** A version's short name; '' runs the model's default version. */
  version: string;
  /** `gs://` paths, separated by commas or new lines; `*` matches within a segment. */
  inputPaths: string;
  outputPath: string;
  dataFormat: 'JSON' | 'TEXT' | 'CSV';
  outputDataFormat: 'JSON' | 'CSV';
  batchSize: string;
  maxWorkerCount: string;
}

/** The input formats the form offers (the TF_RECORD ones are refused by the API). */
export const PREDICTION_FORM_DATA_FORMATS = ['JSON', 'TEXT', 'CSV'] as const;
export const PREDICTION_FORM_OUTPUT_FORMATS = ['JSON', 'CSV'] as const;

const PI = 'predictionInput';

/** The API field paths the form has a control for (a violation elsewhere shows form-wide). */
export const PREDICTION_FIELDS: readonly string[] = [
  'jobId',
  `${PI}.modelName`,
  `${PI}.versionName`,
  `${PI}.inputPaths`,
  `${PI}.outputPath`,
  `${PI}.dataFormat`,
  `${PI}.outputDataFormat`,
  `${PI}.batchSize`,
  `${PI}.maxWorkerCount`,
];

export const initialPredictionDraft = (): PredictionDraft => ({
  jobId: '',
  model: '',
  version: '',
  inputPaths: '',
  outputPath: '',
  dataFormat: 'JSON',
  outputDataFormat: 'JSON',
  batchSize: '',
  maxWorkerCount: '',
});

/** The output path the form suggests for a job id, until the user types another. */
export const suggestedOutputPath = (jobId: string): string => `gs://demo/predictions/${jobId}/`;

/**
 * Turn the form into a batch prediction JobInput for `project` and validate
 * it with @stratus/spec's own validator, so the form rejects exactly what the
 * API would. Errors are keyed by API field path ('' for the form as a whole);
 * a version, when chosen, is sent as `versionName` instead of `modelName`.
 */
export const checkPrediction = (
  draft: PredictionDraft,
  project: string,
): { input: JobInput; errors: FieldErrors } => {
  const errors: Record<string, string> = {};
  const positive = (key: 'batchSize' | 'maxWorkerCount'): Record<string, number> => {
    const text = draft[key].trim();
    if (text === '') return {};
    const value = Number(text);
    if (!Number.isInteger(value)) errors[`${PI}.${key}`] = 'must be a whole number';
    return { [key]: value };
  };
  const model = draft.model.trim();
  const version = draft.version.trim();
  const modelName = `projects/${project}/models/${model}`;
  if (model === '') errors[`${PI}.modelName`] = 'choose a model';
  const input = {
    jobId: draft.jobId.trim(),
    predictionInput: {
      region: 'local',
      dataFormat: draft.dataFormat,
      outputDataFormat: draft.outputDataFormat,
      inputPaths: draft.inputPaths
        .split(/[,\n]/)
        .map((path) => path.trim())
        .filter((path) => path !== ''),
      outputPath: draft.outputPath.trim(),
      ...(version === '' ? { modelName } : { versionName: `${modelName}/versions/${version}` }),
      ...positive('batchSize'),
      ...positive('maxWorkerCount'),
    },
  } as JobInput;
  if (input.predictionInput?.inputPaths.length === 0) {
    errors[`${PI}.inputPaths`] = 'give at least one gs:// path';
  }
  if (Object.keys(errors).length > 0) return { input, errors };
  const found: Record<string, string> = {};
  for (const violation of validateJobInput(input)) {
    const field = fieldFor(violation, PREDICTION_FIELDS);
    const text =
      field === '' ? `${violation.field}: ${violation.description}` : violation.description;
    found[field] = found[field] === undefined ? text : `${found[field]}; ${text}`;
  }
  return { input, errors: found };
};
