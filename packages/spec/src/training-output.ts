import { Type, type Static } from '@sinclair/typebox';
import { JobStateSchema } from './job-state.js';
import { Int64StringSchema, TimestampSchema } from './timestamp.js';

/** One reported value of the hyperparameter metric (Cloud ML's HyperparameterMetric). */
export const HyperparameterMetricSchema = Type.Object({
  trainingStep: Int64StringSchema,
  objectiveValue: Type.Number(),
});
export type HyperparameterMetric = Static<typeof HyperparameterMetricSchema>;

/** One trial's result (Cloud ML's HyperparameterOutput). */
export const HyperparameterOutputSchema = Type.Object({
  /** Decimal trial number as a string: `"1"`, `"2"`, … */
  trialId: Type.String(),
  /** Parameter name → value as a string (`{"hiddenUnits": "32,16"}`). */
  hyperparameters: Type.Record(Type.String(), Type.String()),
  state: JobStateSchema,
  finalMetric: Type.Optional(HyperparameterMetricSchema),
  allMetrics: Type.Optional(Type.Array(HyperparameterMetricSchema)),
  isTrialStoppedEarly: Type.Optional(Type.Boolean()),
  startTime: Type.Optional(TimestampSchema),
  endTime: Type.Optional(TimestampSchema),
  errorMessage: Type.Optional(Type.String()),
});
export type HyperparameterOutput = Static<typeof HyperparameterOutputSchema>;

/** Cloud ML's BuiltInAlgorithmOutput: what trained a built-in job's model, and where it is. */
export const BuiltInAlgorithmOutputSchema = Type.Object({
  /** `TENSORFLOW`: built-in models are TensorFlow.js Keras-style layers models. */
  framework: Type.String(),
  runtimeVersion: Type.String(),
  pythonVersion: Type.String(),
  /** The (best trial's) model bundle. */
  modelPath: Type.String(),
});
export type BuiltInAlgorithmOutput = Static<typeof BuiltInAlgorithmOutputSchema>;

/** Output-only `trainingOutput`, filled as trials finish. */
export const TrainingOutputSchema = Type.Object({
  /** Hyperparameter tuning jobs only: trials that have ended. */
  completedTrialCount: Type.Optional(Int64StringSchema),
  trials: Type.Optional(Type.Array(HyperparameterOutputSchema)),
  /** Ended trials' run time in hours × the scale tier's ML units per hour (ml-units.ts). */
  consumedMLUnits: Type.Optional(Type.Number()),
  isHyperparameterTuningJob: Type.Optional(Type.Boolean()),
  isBuiltInAlgorithmJob: Type.Optional(Type.Boolean()),
  /** Built-in algorithm jobs, once a model is exported. */
  builtInAlgorithmOutput: Type.Optional(BuiltInAlgorithmOutputSchema),
  hyperparameterMetricTag: Type.Optional(Type.String()),
  /** Stratus: the best finished trial so far by the spec's goal. */
  bestTrialId: Type.Optional(Type.String()),
  /** Stratus: where the (best trial's) model bundle is. */
  modelDir: Type.Optional(Type.String()),
});
export type TrainingOutput = Static<typeof TrainingOutputSchema>;
