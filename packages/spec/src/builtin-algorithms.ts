/**
 * The registry of built-in algorithms: what each accepts, what may be tuned,
 * the defaults, and the metrics it reports. Pure data plus lookups; the
 * trainer builds models from it and the validator checks jobs against it.
 */

export const BUILTIN_ALGORITHM_NAMES = [
  'linear_classifier',
  'linear_regressor',
  'dnn_classifier',
  'dnn_regressor',
  'image_classifier',
] as const;
export type BuiltinAlgorithmName = (typeof BUILTIN_ALGORITHM_NAMES)[number];

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;
export type Optimizer = (typeof OPTIMIZERS)[number];

/** Fields a HyperparameterSpec may name for a built-in algorithm (docs/api.md). */
export const TUNABLE_FIELDS = [
  'learningRate',
  'batchSize',
  'epochs',
  'hiddenUnits',
  'dropout',
  'optimizer',
  'l2',
] as const;
export type TunableField = (typeof TUNABLE_FIELDS)[number];

/** Settings of `builtinAlgorithm` that have a type, a range and (mostly) a default. */
export type BuiltinSetting =
  TunableField | 'validationSplit' | 'seed' | 'imageSize' | 'channels' | 'checkpointEveryEpochs';

export type FieldSpec =
  | {
      readonly type: 'number' | 'integer';
      readonly min: number;
      readonly max: number;
      readonly minExclusive?: boolean;
      readonly maxExclusive?: boolean;
      /** When set, only these values are allowed. */
      readonly allowed?: readonly number[];
    }
  | {
      readonly type: 'integerList';
      readonly itemMin: number;
      readonly itemMax: number;
      readonly minItems: number;
      readonly maxItems: number;
    }
  | { readonly type: 'enum'; readonly values: readonly string[] };

export const BUILTIN_FIELD_SPECS: Readonly<Record<BuiltinSetting, FieldSpec>> = {
  learningRate: { type: 'number', min: 0, max: 10, minExclusive: true },
  batchSize: { type: 'integer', min: 1, max: 65536 },
  epochs: { type: 'integer', min: 1, max: 100000 },
  hiddenUnits: { type: 'integerList', itemMin: 1, itemMax: 16384, minItems: 1, maxItems: 16 },
  dropout: { type: 'number', min: 0, max: 1, maxExclusive: true },
  optimizer: { type: 'enum', values: OPTIMIZERS },
  l2: { type: 'number', min: 0, max: 100 },
  validationSplit: { type: 'number', min: 0, max: 1, minExclusive: true, maxExclusive: true },
  seed: { type: 'integer', min: 0, max: 2 ** 31 - 1 },
  imageSize: { type: 'integerList', itemMin: 4, itemMax: 1024, minItems: 2, maxItems: 2 },
  channels: { type: 'integer', min: 1, max: 3, allowed: [1, 3] },
  checkpointEveryEpochs: { type: 'integer', min: 1, max: 100000 },
};

export const METRIC_GOALS = {
  loss: 'MINIMIZE',
  val_loss: 'MINIMIZE',
  accuracy: 'MAXIMIZE',
  val_accuracy: 'MAXIMIZE',
  mae: 'MINIMIZE',
  val_mae: 'MINIMIZE',
  rmse: 'MINIMIZE',
  val_rmse: 'MINIMIZE',
} as const;
export type BuiltinMetricName = keyof typeof METRIC_GOALS;

export type BuiltinTask = 'classification' | 'regression';
export type BuiltinArchitecture = 'linear' | 'dnn' | 'cnn';

/** Defaults for every setting an algorithm accepts; image-only ones appear only for images. */
export interface BuiltinDefaults {
  readonly validationSplit: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Empty for linear models. */
  readonly hiddenUnits: readonly number[];
  readonly dropout: number;
  readonly optimizer: Optimizer;
  readonly l2: number;
  readonly seed: number;
  readonly checkpointEveryEpochs: number;
  /** image_classifier only. */
  readonly imageSize?: readonly [number, number];
  /** image_classifier only. */
  readonly channels?: 1 | 3;
}

export interface BuiltinAlgorithmDefinition {
  readonly name: BuiltinAlgorithmName;
  readonly task: BuiltinTask;
  readonly architecture: BuiltinArchitecture;
  /** `tabular`: CSV / JSON Lines with a label column; `image`: `<prefix>/<label>/*.png|jpg`. */
  readonly input: 'tabular' | 'image';
  /** Every `builtinAlgorithm` field this algorithm accepts, `name` included. */
  readonly fields: readonly string[];
  readonly tunable: readonly TunableField[];
  readonly defaults: BuiltinDefaults;
  /** Metric names reported every epoch. */
  readonly metrics: readonly BuiltinMetricName[];
  readonly defaultMetricTag: BuiltinMetricName;
  readonly defaultGoal: 'MAXIMIZE' | 'MINIMIZE';
}

const COMMON_FIELDS = [
  'name',
  'trainingData',
  'validationData',
  'validationSplit',
  'epochs',
  'batchSize',
  'learningRate',
  'optimizer',
  'l2',
  'seed',
  'checkpointEveryEpochs',
] as const;
const TABULAR_FIELDS = [...COMMON_FIELDS, 'labelColumn', 'featureColumns'] as const;

const COMMON_DEFAULTS = {
  validationSplit: 0.2,
  epochs: 10,
  batchSize: 32,
  learningRate: 0.01,
  optimizer: 'adam',
  l2: 0,
  seed: 42,
  checkpointEveryEpochs: 1,
} as const;

const CLASSIFIER_METRICS = ['loss', 'val_loss', 'accuracy', 'val_accuracy'] as const;
const REGRESSOR_METRICS = ['loss', 'val_loss', 'mae', 'val_mae', 'rmse', 'val_rmse'] as const;

const linear = (name: BuiltinAlgorithmName, task: BuiltinTask): BuiltinAlgorithmDefinition => ({
  name,
  task,
  architecture: 'linear',
  input: 'tabular',
  fields: TABULAR_FIELDS,
  tunable: ['learningRate', 'batchSize', 'epochs', 'optimizer', 'l2'],
  // A linear model has no hidden layers; the resolved params say so explicitly.
  defaults: { ...COMMON_DEFAULTS, hiddenUnits: [], dropout: 0 },
  ...taskMetrics(task),
});

const dnn = (name: BuiltinAlgorithmName, task: BuiltinTask): BuiltinAlgorithmDefinition => ({
  name,
  task,
  architecture: 'dnn',
  input: 'tabular',
  fields: [...TABULAR_FIELDS, 'hiddenUnits', 'dropout'],
  tunable: TUNABLE_FIELDS,
  defaults: { ...COMMON_DEFAULTS, hiddenUnits: [64, 32], dropout: 0 },
  ...taskMetrics(task),
});

function taskMetrics(
  task: BuiltinTask,
): Pick<BuiltinAlgorithmDefinition, 'metrics' | 'defaultMetricTag' | 'defaultGoal'> {
  return task === 'classification'
    ? { metrics: CLASSIFIER_METRICS, defaultMetricTag: 'val_accuracy', defaultGoal: 'MAXIMIZE' }
    : { metrics: REGRESSOR_METRICS, defaultMetricTag: 'val_rmse', defaultGoal: 'MINIMIZE' };
}

export const BUILTIN_ALGORITHMS: Readonly<
  Record<BuiltinAlgorithmName, BuiltinAlgorithmDefinition>
> = {
  linear_classifier: linear('linear_classifier', 'classification'),
  linear_regressor: linear('linear_regressor', 'regression'),
  dnn_classifier: dnn('dnn_classifier', 'classification'),
  dnn_regressor: dnn('dnn_regressor', 'regression'),
  image_classifier: {
    name: 'image_classifier',
    task: 'classification',
    architecture: 'cnn',
    input: 'image',
    fields: [...COMMON_FIELDS, 'hiddenUnits', 'dropout', 'imageSize', 'channels'],
    tunable: TUNABLE_FIELDS,
    // Convolutions train less stably at 0.01 with adam; Keras' 0.001 is the safer default.
    defaults: {
      ...COMMON_DEFAULTS,
      learningRate: 0.001,
      hiddenUnits: [64],
      dropout: 0,
      imageSize: [28, 28],
      channels: 1,
    },
    ...taskMetrics('classification'),
  },
};

/** Whether `name` is a built-in algorithm. */
export const isBuiltinAlgorithmName = (name: string): name is BuiltinAlgorithmName =>
  Object.hasOwn(BUILTIN_ALGORITHMS, name);

/** The definition of a built-in algorithm, or undefined for an unknown name. */
export const getBuiltinAlgorithm = (name: string): BuiltinAlgorithmDefinition | undefined =>
  isBuiltinAlgorithmName(name) ? BUILTIN_ALGORITHMS[name] : undefined;

/** Whether `name` is a metric a built-in algorithm reports. */
export const isBuiltinMetricName = (name: string): name is BuiltinMetricName =>
  Object.hasOwn(METRIC_GOALS, name);
