import { Type, type Static } from '@sinclair/typebox';
import { StratusError } from './errors.js';
import { BuiltinAlgorithmSchema } from './builtin-algorithm-schema.js';
import { HyperparameterSpecSchema } from './hyperparameters.js';
import { StringEnum } from './string-enum.js';

export const SCALE_TIERS = ['BASIC', 'BASIC_GPU', 'CUSTOM'] as const;
export const ScaleTierSchema = StringEnum(SCALE_TIERS);
export type ScaleTier = Static<typeof ScaleTierSchema>;
export const DEFAULT_SCALE_TIER: ScaleTier = 'BASIC';
export const DEFAULT_REGION = 'local';

/** Cloud ML's accelerator names; a Stratus GPU worker serves any of them. */
export const ACCELERATOR_TYPES = [
  'NVIDIA_TESLA_K80',
  'NVIDIA_TESLA_P4',
  'NVIDIA_TESLA_P100',
  'NVIDIA_TESLA_T4',
  'NVIDIA_TESLA_V100',
  'NVIDIA_TESLA_A100',
  'NVIDIA_A100_80GB',
  'NVIDIA_L4',
  'NVIDIA_H100_80GB',
] as const;
export const AcceleratorTypeSchema = StringEnum(ACCELERATOR_TYPES);
export type AcceleratorType = Static<typeof AcceleratorTypeSchema>;

export const AcceleratorConfigSchema = Type.Object(
  { count: Type.Integer(), type: AcceleratorTypeSchema },
  { additionalProperties: false },
);
export type AcceleratorConfig = Static<typeof AcceleratorConfigSchema>;

export const ReplicaConfigSchema = Type.Object(
  { acceleratorConfig: Type.Optional(AcceleratorConfigSchema) },
  { additionalProperties: false },
);
export type ReplicaConfig = Static<typeof ReplicaConfigSchema>;

/** A protobuf Duration in JSON form: seconds with an `s` suffix, e.g. `"7200s"`. */
export const DURATION_PATTERN = /^\d+(\.\d{1,9})?s$/;

export const SchedulingSchema = Type.Object(
  {
    /** Cloud ML's job timeout: the job is cancelled once it has run this long. */
    maxRunningTime: Type.Optional(Type.String({ pattern: DURATION_PATTERN.source })),
  },
  { additionalProperties: false },
);
export type Scheduling = Static<typeof SchedulingSchema>;

export const TrainingInputSchema = Type.Object(
  {
    /** @defaultValue 'BASIC' */
    scaleTier: Type.Optional(ScaleTierSchema),
    /** Informative machine type; with scaleTier CUSTOM. */
    masterType: Type.Optional(Type.String({ minLength: 1 })),
    /** With scaleTier CUSTOM. */
    masterConfig: Type.Optional(ReplicaConfigSchema),
    /** @defaultValue 'local' */
    region: Type.Optional(Type.String({ minLength: 1 })),
    /** `gs://` directory for checkpoints, trial outputs and the exported model. */
    jobDir: Type.String(),
    /** Custom packages: arguments passed to `module`. */
    args: Type.Optional(Type.Array(Type.String())),
    /** Custom packages: `gs://` tarballs in `npm pack` form. */
    packageUris: Type.Optional(Type.Array(Type.String())),
    /** Custom packages: file to run, relative to the package root (Cloud ML's pythonModule). */
    module: Type.Optional(Type.String()),
    runtimeVersion: Type.Optional(Type.String({ minLength: 1 })),
    builtinAlgorithm: Type.Optional(BuiltinAlgorithmSchema),
    hyperparameters: Type.Optional(HyperparameterSpecSchema),
    scheduling: Type.Optional(SchedulingSchema),
  },
  { additionalProperties: false },
);
export type TrainingInput = Static<typeof TrainingInputSchema>;

/** Seconds in a protobuf Duration string (`"90s"` → 90). */
export const parseDurationSeconds = (duration: string): number => {
  if (!DURATION_PATTERN.test(duration)) {
    throw new StratusError('INVALID_ARGUMENT', {
      detail: `duration "${duration}" must be seconds with an "s" suffix, e.g. "3600s"`,
    });
  }
  return Number(duration.slice(0, -1));
};

/** The job timeout in seconds, or undefined when the job may run indefinitely. */
export const maxRunningTimeSeconds = (input: TrainingInput): number | undefined => {
  const duration = input.scheduling?.maxRunningTime;
  return duration === undefined ? undefined : parseDurationSeconds(duration);
};

/** Whether a job must run on a GPU worker (BASIC_GPU, or CUSTOM with accelerators). */
export const requiresGpu = (input: TrainingInput): boolean =>
  input.scaleTier === 'BASIC_GPU' ||
  (input.scaleTier === 'CUSTOM' && (input.masterConfig?.acceleratorConfig?.count ?? 0) > 0);

/** Whether a job trains a built-in algorithm (else it runs a custom package). */
export const isBuiltinJob = (input: TrainingInput): boolean => input.builtinAlgorithm !== undefined;
