import {
  BUILTIN_ALGORITHMS,
  getBuiltinAlgorithm,
  validateJobInput,
  type BuiltinAlgorithmName,
  type FieldViolation,
  type JobInput,
  type ParameterSpec,
} from '@stratus/spec';

/** One row of the hyperparameter ranges table, as typed. */
export interface ParamDraft {
  readonly key: number;
  parameterName: string;
  type: 'DOUBLE' | 'INTEGER' | 'CATEGORICAL' | 'DISCRETE';
  minValue: string;
  maxValue: string;
  scaleType: string;
  values: string;
}

/** The submit form's fields, as typed (strings until parsed). */
export interface JobDraft {
  jobId: string;
  algorithm: BuiltinAlgorithmName;
  trainingData: string;
  labelColumn: string;
  jobDir: string;
  scaleTier: 'BASIC' | 'BASIC_GPU';
  epochs: string;
  batchSize: string;
  learningRate: string;
  hiddenUnits: string;
  labels: string;
  tune: boolean;
  goal: 'MAXIMIZE' | 'MINIMIZE';
  metricTag: string;
  maxTrials: string;
  maxParallelTrials: string;
  searchAlgorithm: string;
  earlyStopping: boolean;
  params: ParamDraft[];
}

/** Form field errors keyed by API field path (`trainingInput.hyperparameters.params[0].minValue`). */
export type FieldErrors = Readonly<Record<string, string>>;

export const TABULAR_ALGORITHMS = Object.values(BUILTIN_ALGORITHMS)
  .filter((algorithm) => algorithm.input === 'tabular')
  .map((algorithm) => algorithm.name);

export const TI = 'trainingInput';
export const BA = `${TI}.builtinAlgorithm`;
export const HP = `${TI}.hyperparameters`;
export const paramPath = (index: number, field: string): string =>
  `${HP}.params[${index}].${field}`;

export const newParam = (key: number, parameterName = 'learningRate'): ParamDraft => ({
  key,
  parameterName,
  type: 'DOUBLE',
  minValue: '0.001',
  maxValue: '0.1',
  scaleType: 'UNIT_LOG_SCALE',
  values: '',
});

export const initialDraft = (): JobDraft => ({
  jobId: '',
  algorithm: 'dnn_classifier',
  trainingData: 'gs://demo/data/iris.csv',
  labelColumn: 'species',
  jobDir: '',
  scaleTier: 'BASIC',
  epochs: '',
  batchSize: '',
  learningRate: '',
  hiddenUnits: '',
  labels: '',
  tune: false,
  goal: 'MAXIMIZE',
  metricTag: 'val_accuracy',
  maxTrials: '4',
  maxParallelTrials: '2',
  searchAlgorithm: 'ALGORITHM_UNSPECIFIED',
  earlyStopping: false,
  params: [newParam(0)],
});

interface Parsed {
  readonly input: JobInput;
  readonly errors: Record<string, string>;
}

const list = (text: string): string[] =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/**
 * Turn the form into a JobInput and validate it with @stratus/spec's own
 * validator, so the form rejects exactly what the API would. Errors are keyed
 * by API field path; numbers that do not parse are reported at their field.
 */
export const buildJob = (draft: JobDraft): Parsed => {
  const errors: Record<string, string> = {};
  const number = (path: string, text: string, integer = false): number | undefined => {
    if (text.trim() === '') return undefined;
    const value = Number(text);
    if (!Number.isFinite(value)) errors[path] = 'must be a number';
    else if (integer && !Number.isInteger(value)) errors[path] = 'must be a whole number';
    return value;
  };
  const optional = <T>(key: string, value: T | undefined): Record<string, T> =>
    value === undefined ? {} : { [key]: value };

  const hiddenUnits =
    draft.hiddenUnits.trim() === '' ? undefined : list(draft.hiddenUnits).map(Number);
  if (hiddenUnits?.some((n) => !Number.isInteger(n)) === true) {
    errors[`${BA}.hiddenUnits`] = 'must be whole numbers separated by commas';
  }
  const labels: Record<string, string> = {};
  for (const pair of list(draft.labels)) {
    const [key, ...rest] = pair.split('=');
    if (key === undefined || rest.length === 0) errors.labels = 'write labels as key=value, …';
    else labels[key.trim()] = rest.join('=').trim();
  }
  const builtinAlgorithm = {
    name: draft.algorithm,
    trainingData: draft.trainingData.trim(),
    labelColumn: draft.labelColumn.trim(),
    ...optional('epochs', number(`${BA}.epochs`, draft.epochs, true)),
    ...optional('batchSize', number(`${BA}.batchSize`, draft.batchSize, true)),
    ...optional('learningRate', number(`${BA}.learningRate`, draft.learningRate)),
    ...optional('hiddenUnits', hiddenUnits),
  };
  const params = draft.params.map((param, index): ParameterSpec => {
    const base = { parameterName: param.parameterName, type: param.type };
    if (param.type === 'CATEGORICAL') return { ...base, categoricalValues: list(param.values) };
    if (param.type === 'DISCRETE') {
      const values = list(param.values).map(Number);
      if (values.some((v) => !Number.isFinite(v))) {
        errors[paramPath(index, 'discreteValues')] = 'must be numbers separated by commas';
      }
      return { ...base, discreteValues: values } as ParameterSpec;
    }
    const integer = param.type === 'INTEGER';
    return {
      ...base,
      ...optional('minValue', number(paramPath(index, 'minValue'), param.minValue, integer)),
      ...optional('maxValue', number(paramPath(index, 'maxValue'), param.maxValue, integer)),
      ...(param.scaleType === '' ? {} : { scaleType: param.scaleType }),
    } as ParameterSpec;
  });
  const hyperparameters = draft.tune
    ? {
        goal: draft.goal,
        hyperparameterMetricTag: draft.metricTag,
        ...optional('maxTrials', number(`${HP}.maxTrials`, draft.maxTrials, true)),
        ...optional(
          'maxParallelTrials',
          number(`${HP}.maxParallelTrials`, draft.maxParallelTrials, true),
        ),
        enableTrialEarlyStopping: draft.earlyStopping,
        algorithm: draft.searchAlgorithm,
        params,
      }
    : undefined;
  const input = {
    jobId: draft.jobId.trim(),
    ...(Object.keys(labels).length === 0 ? {} : { labels }),
    trainingInput: {
      scaleTier: draft.scaleTier,
      region: 'local',
      // Left empty, the server picks the project's default staging directory.
      ...(draft.jobDir.trim() === '' ? {} : { jobDir: draft.jobDir.trim() }),
      builtinAlgorithm,
      ...(hyperparameters === undefined ? {} : { hyperparameters }),
    },
  } as JobInput;
  return { input, errors };
};

/** The form field a violation belongs to: the longest known path it starts with. */
export const fieldFor = (violation: FieldViolation, known: readonly string[]): string => {
  const match = known
    .filter(
      (path) =>
        violation.field === path ||
        violation.field.startsWith(`${path}.`) ||
        violation.field.startsWith(`${path}[`),
    )
    .sort((a, b) => b.length - a.length)[0];
  return match ?? '';
};

/** Parse and validate the form: the input to send, or errors by field ('' for the form as a whole). */
export const checkJob = (
  draft: JobDraft,
  known: readonly string[],
): { input: JobInput; errors: FieldErrors } => {
  const { input, errors } = buildJob(draft);
  if (Object.keys(errors).length > 0) return { input, errors };
  const found: Record<string, string> = {};
  for (const violation of validateJobInput(input)) {
    const field = fieldFor(violation, known);
    const text =
      field === '' ? `${violation.field}: ${violation.description}` : violation.description;
    found[field] = found[field] === undefined ? text : `${found[field]}; ${text}`;
  }
  return { input, errors: found };
};

export const tunableFields = (algorithm: BuiltinAlgorithmName): readonly string[] =>
  getBuiltinAlgorithm(algorithm)?.tunable ?? [];
