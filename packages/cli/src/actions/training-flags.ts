/** Parsed values of the flags `addTrainingOptions` defines (commander's camelCase keys). */
export interface TrainingFlags {
  readonly config?: string;
  readonly jobDir?: string;
  readonly stagingBucket?: string;
  readonly region?: string;
  readonly scaleTier?: string;
  readonly masterMachineType?: string;
  readonly masterAccelerator?: Record<string, string>;
  readonly runtimeVersion?: string;
  readonly pythonVersion?: string;
  readonly moduleName?: string;
  readonly packages?: string[];
  readonly packagePath?: string;
  readonly labels?: Record<string, string>;
  readonly builtinAlgorithm?: string;
  readonly trainingData?: string;
  readonly validationData?: string;
  readonly labelColumn?: string;
  readonly featureColumns?: string[];
  readonly validationSplit?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  readonly hiddenUnits?: number[];
  readonly dropout?: number;
  readonly optimizer?: string;
  readonly l2?: number;
  readonly seed?: number;
}

/** Flag → `builtinAlgorithm` field: every one of these flags sets that field. */
export const BUILTIN_FLAG_FIELDS = [
  ['builtinAlgorithm', 'name'],
  ['trainingData', 'trainingData'],
  ['validationData', 'validationData'],
  ['labelColumn', 'labelColumn'],
  ['featureColumns', 'featureColumns'],
  ['validationSplit', 'validationSplit'],
  ['epochs', 'epochs'],
  ['batchSize', 'batchSize'],
  ['learningRate', 'learningRate'],
  ['hiddenUnits', 'hiddenUnits'],
  ['dropout', 'dropout'],
  ['optimizer', 'optimizer'],
  ['l2', 'l2'],
  ['seed', 'seed'],
] as const satisfies ReadonlyArray<readonly [keyof TrainingFlags, string]>;
