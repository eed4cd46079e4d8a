import { Type, type Static } from '@sinclair/typebox';
import { AutomatedStoppingConfigSchema } from './automated-stopping.js';
import { StringEnum } from './string-enum.js';

/** Cloud ML Engine's HyperparameterSpec and ParameterSpec, field for field. */

export const GOAL_TYPES = ['GOAL_TYPE_UNSPECIFIED', 'MAXIMIZE', 'MINIMIZE'] as const;
export const GoalTypeSchema = StringEnum(GOAL_TYPES, {
  description: 'Whether to maximize or minimize the hyperparameter metric.',
});
export type GoalType = Static<typeof GoalTypeSchema>;

export const PARAMETER_TYPES = ['DOUBLE', 'INTEGER', 'CATEGORICAL', 'DISCRETE'] as const;
export const ParameterTypeSchema = StringEnum(PARAMETER_TYPES);
export type ParameterType = Static<typeof ParameterTypeSchema>;

export const SCALE_TYPES = [
  'NONE',
  'UNIT_LINEAR_SCALE',
  'UNIT_LOG_SCALE',
  'UNIT_REVERSE_LOG_SCALE',
] as const;
export const ScaleTypeSchema = StringEnum(SCALE_TYPES);
export type ScaleType = Static<typeof ScaleTypeSchema>;

export const SEARCH_ALGORITHMS = ['ALGORITHM_UNSPECIFIED', 'GRID_SEARCH', 'RANDOM_SEARCH'] as const;
export const SearchAlgorithmSchema = StringEnum(SEARCH_ALGORITHMS, {
  description: 'ALGORITHM_UNSPECIFIED means Bayesian optimisation.',
});
export type SearchAlgorithm = Static<typeof SearchAlgorithmSchema>;

export const ParameterSpecSchema = Type.Object(
  {
    parameterName: Type.String({ minLength: 1, maxLength: 128 }),
    type: ParameterTypeSchema,
    /** Required for DOUBLE and INTEGER. */
    minValue: Type.Optional(Type.Number()),
    /** Required for DOUBLE and INTEGER. */
    maxValue: Type.Optional(Type.Number()),
    /** Required for CATEGORICAL. */
    categoricalValues: Type.Optional(Type.Array(Type.String())),
    /** Required for DISCRETE; strictly increasing. */
    discreteValues: Type.Optional(Type.Array(Type.Number())),
    scaleType: Type.Optional(ScaleTypeSchema),
  },
  { additionalProperties: false },
);
export type ParameterSpec = Static<typeof ParameterSpecSchema>;

export const HyperparameterSpecSchema = Type.Object(
  {
    /** Missing or GOAL_TYPE_UNSPECIFIED: a built-in algorithm's default goal applies. */
    goal: Type.Optional(GoalTypeSchema),
    params: Type.Array(ParameterSpecSchema),
    /** @defaultValue 1 */
    maxTrials: Type.Optional(Type.Integer()),
    /** @defaultValue 1 */
    maxParallelTrials: Type.Optional(Type.Integer()),
    /** Failed trials tolerated before the job fails; 0 or missing lets the service decide (Cloud ML). */
    maxFailedTrials: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Missing: the built-in algorithm's default metric, or `training/hptuning/metric`. */
    hyperparameterMetricTag: Type.Optional(Type.String({ minLength: 1 })),
    /** The median stopping rule; `automatedStoppingConfig` names it or ASHA instead. */
    enableTrialEarlyStopping: Type.Optional(Type.Boolean()),
    automatedStoppingConfig: Type.Optional(AutomatedStoppingConfigSchema),
    resumePreviousJobId: Type.Optional(Type.String()),
    /** @defaultValue 'ALGORITHM_UNSPECIFIED' */
    algorithm: Type.Optional(SearchAlgorithmSchema),
  },
  { additionalProperties: false },
);
export type HyperparameterSpec = Static<typeof HyperparameterSpecSchema>;

/** Cloud ML's metric tag for custom trainers that do not name one. */
export const DEFAULT_HYPERPARAMETER_METRIC_TAG = 'training/hptuning/metric';
