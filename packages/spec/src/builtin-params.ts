import type { BuiltinAlgorithm } from './builtin-algorithm-schema.js';
import {
  getBuiltinAlgorithm,
  type BuiltinAlgorithmDefinition,
  type BuiltinAlgorithmName,
  type BuiltinArchitecture,
  type BuiltinDefaults,
  type BuiltinTask,
  type Optimizer,
  type TunableField,
} from './builtin-algorithms.js';
import { parseSettingValue } from './builtin-fields.js';
import { StratusError } from './errors.js';

/** Every setting of a built-in algorithm with defaults applied: what the trainer runs. */
export interface ResolvedBuiltinParams extends BuiltinDefaults {
  readonly name: BuiltinAlgorithmName;
  readonly task: BuiltinTask;
  readonly architecture: BuiltinArchitecture;
  readonly trainingData: string;
  readonly validationData?: string;
  readonly labelColumn?: string;
  readonly featureColumns?: readonly string[];
}

const definitionOf = (algo: BuiltinAlgorithm): BuiltinAlgorithmDefinition => {
  const definition = getBuiltinAlgorithm(algo.name);
  if (definition === undefined) {
    throw new StratusError('INVALID_JOB_SPEC', {
      detail: `builtinAlgorithm.name "${algo.name}" is not a built-in algorithm`,
    });
  }
  return definition;
};

/**
 * Apply an algorithm's defaults to `algo`, then the trial's hyperparameter
 * values (strings, as in Cloud ML's trial output: `{"hiddenUnits": "32,16"}`).
 * Throws INVALID_HYPERPARAMETER_VALUE for a name the algorithm cannot tune or
 * a value that does not parse or is out of range.
 */
export const resolveBuiltinParams = (
  algo: BuiltinAlgorithm,
  overrides: Readonly<Record<string, string>> = {},
): ResolvedBuiltinParams => {
  const definition = definitionOf(algo);
  const d = definition.defaults;
  const tuned: Partial<Record<TunableField, unknown>> = {};
  for (const [name, raw] of Object.entries(overrides)) {
    if (!(definition.tunable as readonly string[]).includes(name)) {
      throw new StratusError('INVALID_HYPERPARAMETER_VALUE', {
        name,
        value: raw,
        detail: `${definition.name} tunes only ${definition.tunable.join(', ')}`,
      });
    }
    const parsed = parseSettingValue(name as TunableField, raw);
    if ('problem' in parsed) {
      throw new StratusError('INVALID_HYPERPARAMETER_VALUE', {
        name,
        value: raw,
        detail: parsed.problem,
      });
    }
    tuned[name as TunableField] = parsed.value;
  }
  const pick = <T>(field: TunableField, given: T | undefined, fallback: T): T =>
    (tuned[field] as T | undefined) ?? given ?? fallback;
  const isImage = definition.input === 'image';
  const imageSize = algo.imageSize ?? d.imageSize;
  const channels = algo.channels ?? d.channels;
  return {
    name: definition.name,
    task: definition.task,
    architecture: definition.architecture,
    trainingData: algo.trainingData,
    ...(algo.validationData === undefined ? {} : { validationData: algo.validationData }),
    ...(algo.labelColumn === undefined ? {} : { labelColumn: algo.labelColumn }),
    ...(algo.featureColumns === undefined ? {} : { featureColumns: algo.featureColumns }),
    validationSplit: algo.validationSplit ?? d.validationSplit,
    epochs: pick('epochs', algo.epochs, d.epochs),
    batchSize: pick('batchSize', algo.batchSize, d.batchSize),
    learningRate: pick('learningRate', algo.learningRate, d.learningRate),
    hiddenUnits: pick<readonly number[]>('hiddenUnits', algo.hiddenUnits, d.hiddenUnits),
    dropout: pick('dropout', algo.dropout, d.dropout),
    optimizer: pick<Optimizer>('optimizer', algo.optimizer, d.optimizer),
    l2: pick('l2', algo.l2, d.l2),
    seed: algo.seed ?? d.seed,
    checkpointEveryEpochs: algo.checkpointEveryEpochs ?? d.checkpointEveryEpochs,
    ...(isImage && imageSize !== undefined
      ? { imageSize: [imageSize[0] ?? 28, imageSize[1] ?? 28] as const }
      : {}),
    ...(isImage && channels !== undefined ? { channels: channels === 3 ? 3 : 1 } : {}),
  };
};
