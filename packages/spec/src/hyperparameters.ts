import { Type, type Static, type TSchema } from '@sinclair/typebox';
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

/** Deepest conditional nesting validation accepts (a top-level parameter is depth 0). */
export const MAX_CONDITIONAL_DEPTH = 4;

const parameterFields = {
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
};

const valueList = <T extends TSchema>(item: T) =>
  Type.Optional(Type.Object({ values: Type.Array(item) }, { additionalProperties: false }));

/**
 * Vertex AI's ConditionalParameterSpec: the child `parameterSpec` is active
 * when its parent is active and the parent's value is among exactly one of
 * `parentDiscreteValues` (DISCRETE parent), `parentIntValues` (INTEGER) or
 * `parentCategoricalValues` (CATEGORICAL).
 */
const conditionalSchema = <T extends TSchema>(child: T) =>
  Type.Object(
    {
      parentDiscreteValues: valueList(Type.Number()),
      parentIntValues: valueList(Type.Integer()),
      parentCategoricalValues: valueList(Type.String()),
      parameterSpec: child,
    },
    { additionalProperties: false },
  );

// The schema nests one level deeper than validation accepts, so a too-deep tree gets
// a violation that says so rather than an "unknown field". Written out, not recursive:
// the schemas also serve as plain JSON Schema (ajv, fastify) without $ref plumbing.
const leafParameterSchema = Type.Object(parameterFields, { additionalProperties: false });
const nestedParameterSchema = <T extends TSchema>(child: T) =>
  Type.Object(
    {
      ...parameterFields,
      conditionalParameterSpecs: Type.Optional(Type.Array(conditionalSchema(child))),
    },
    { additionalProperties: false },
  );

export const ParameterSpecSchema = nestedParameterSchema(
  nestedParameterSchema(
    nestedParameterSchema(nestedParameterSchema(nestedParameterSchema(leafParameterSchema))),
  ),
);

/** Cloud ML's ParameterSpec plus Vertex AI's `conditionalParameterSpecs`. */
export interface ParameterSpec extends Static<typeof leafParameterSchema> {
  conditionalParameterSpecs?: ConditionalParameterSpec[];
}

export interface ConditionalParameterSpec {
  parentDiscreteValues?: { values: number[] };
  parentIntValues?: { values: number[] };
  parentCategoricalValues?: { values: string[] };
  parameterSpec: ParameterSpec;
}

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
export type HyperparameterSpec = Omit<Static<typeof HyperparameterSpecSchema>, 'params'> & {
  params: ParameterSpec[];
};

/** Cloud ML's metric tag for custom trainers that do not name one. */
export const DEFAULT_HYPERPARAMETER_METRIC_TAG = 'training/hptuning/metric';
