import { Type, type Static } from '@sinclair/typebox';
import { StratusError } from './errors.js';
import { BuiltinAlgorithmSchema } from './builtin-algorithm-schema.js';
import { HyperparameterSpecSchema } from './hyperparameters.js';
import { StringEnum } from './string-enum.js';

/** Cloud ML's scale tiers; BASIC_TPU is in the list so it can be refused by name. */
export const SCALE_TIERS = [
  'BASIC',
  'STANDARD_1',
  'PREMIUM_1',
  'BASIC_GPU',
  'BASIC_TPU',
  'CUSTOM',
] as const;
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
/** Cloud ML's TPU accelerator names: accepted by the schema, refused by validation. */
export const TPU_ACCELERATOR_TYPES = [
  'TPU_V2',
  'TPU_V3',
  'TPU_V2_POD',
  'TPU_V3_POD',
  'TPU_V4_POD',
] as const;
export const AcceleratorTypeSchema = StringEnum([...ACCELERATOR_TYPES, ...TPU_ACCELERATOR_TYPES]);
export type AcceleratorType = Static<typeof AcceleratorTypeSchema>;

/** A whole number, or the decimal string an int64 is in Cloud ML's JSON (`"1"`). */
const CountSchema = Type.Union([Type.Integer(), Type.String({ pattern: '^[0-9]+$' })]);

export const AcceleratorConfigSchema = Type.Object(
  { count: CountSchema, type: AcceleratorTypeSchema },
  { additionalProperties: false },
);
export type AcceleratorConfig = Static<typeof AcceleratorConfigSchema>;

/** Cloud ML's ReplicaConfig; only `acceleratorConfig` and `diskConfig` are honoured or recorded. */
export const ReplicaConfigSchema = Type.Object(
  {
    acceleratorConfig: Type.Optional(AcceleratorConfigSchema),
    /** Recorded; a trainer's disk is capped by STRATUS_TRAINER_DISK_MB. */
    diskConfig: Type.Optional(
      Type.Object(
        {
          bootDiskType: Type.Optional(Type.String()),
          bootDiskSizeGb: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** Refused by validation (custom containers). */
    imageUri: Type.Optional(Type.String()),
    containerCommand: Type.Optional(Type.Array(Type.String())),
    containerArgs: Type.Optional(Type.Array(Type.String())),
    /** Refused by validation (TPUs). */
    tpuTfVersion: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ReplicaConfig = Static<typeof ReplicaConfigSchema>;

/** The accelerators a replica config asks for (0 when none). */
export const acceleratorCount = (config: ReplicaConfig | undefined): number =>
  Number(config?.acceleratorConfig?.count ?? 0);

/** A protobuf Duration in JSON form: seconds with an `s` suffix, e.g. `"7200s"`. */
export const DURATION_PATTERN = /^\d+(\.\d{1,9})?s$/;

export const SchedulingSchema = Type.Object(
  {
    /** Cloud ML's job timeout: the job is cancelled once it has run this long. */
    maxRunningTime: Type.Optional(Type.String({ pattern: DURATION_PATTERN.source })),
    /** Refused by validation: jobs wait in the queue until a worker is free. */
    maxWaitTime: Type.Optional(Type.String({ pattern: DURATION_PATTERN.source })),
    /** Refused by validation: the queue is first in, first out per project. */
    priority: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type Scheduling = Static<typeof SchedulingSchema>;

/** Cloud ML replica fields Stratus refuses (validate-hardware.ts says how Stratus scales). */
const ReplicaFields = {
  workerType: Type.Optional(Type.String()),
  workerConfig: Type.Optional(ReplicaConfigSchema),
  workerCount: Type.Optional(CountSchema),
  parameterServerType: Type.Optional(Type.String()),
  parameterServerConfig: Type.Optional(ReplicaConfigSchema),
  parameterServerCount: Type.Optional(CountSchema),
  evaluatorType: Type.Optional(Type.String()),
  evaluatorConfig: Type.Optional(ReplicaConfigSchema),
  evaluatorCount: Type.Optional(CountSchema),
};

/** Cloud ML fields about the cloud around a job, refused by validation with the reason. */
const CloudFields = {
  encryptionConfig: Type.Optional(
    Type.Object({ kmsKeyName: Type.Optional(Type.String()) }, { additionalProperties: false }),
  ),
  network: Type.Optional(Type.String()),
  serviceAccount: Type.Optional(Type.String()),
  enableWebAccess: Type.Optional(Type.Boolean()),
  /** Recorded: Stratus sets no TF_CONFIG (one process per trial). */
  useChiefInTfConfig: Type.Optional(Type.Boolean()),
};

/** Cloud ML's TrainingInput (docs/api.md lists each field's status), plus `builtinAlgorithm`. */
export const TrainingInputSchema = Type.Object(
  {
    /** @defaultValue 'BASIC' */
    scaleTier: Type.Optional(ScaleTierSchema),
    /** A Cloud ML machine type; with scaleTier CUSTOM. GPU types pick the GPU queue. */
    masterType: Type.Optional(Type.String({ minLength: 1 })),
    /** With scaleTier CUSTOM. */
    masterConfig: Type.Optional(ReplicaConfigSchema),
    ...ReplicaFields,
    /** Recorded. @defaultValue 'local' */
    region: Type.Optional(Type.String({ minLength: 1 })),
    /**
     * `gs://` directory for checkpoints, trial outputs and the exported model.
     * @defaultValue `gs://<project>-stratus-staging/jobs/<jobId>` (defaultJobDir)
     */
    jobDir: Type.Optional(Type.String()),
    /** Custom packages: arguments passed to the module. */
    args: Type.Optional(Type.Array(Type.String())),
    /** Custom packages: `gs://` tarballs in `npm pack` form. */
    packageUris: Type.Optional(Type.Array(Type.String())),
    /** Custom packages: `trainer.task` (→ `trainer/task.{mjs,js,cjs}`) or a file path. */
    pythonModule: Type.Optional(Type.String()),
    /** Stratus's alias of pythonModule. */
    module: Type.Optional(Type.String()),
    /** Recorded; one of RUNTIME_VERSIONS (runtime-versions.ts). */
    runtimeVersion: Type.Optional(Type.String({ minLength: 1 })),
    /** Recorded; one of PYTHON_VERSIONS. */
    pythonVersion: Type.Optional(Type.String({ minLength: 1 })),
    builtinAlgorithm: Type.Optional(BuiltinAlgorithmSchema),
    hyperparameters: Type.Optional(HyperparameterSpecSchema),
    scheduling: Type.Optional(SchedulingSchema),
    ...CloudFields,
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

/** Cloud ML machine types with GPUs attached (the legacy names; Compute Engine types take acceleratorConfig). */
const GPU_MACHINE_TYPE = /(gpu|p100|v100)$/;

/**
 * Whether a job must run on a GPU worker: BASIC_GPU, or CUSTOM with
 * accelerators in masterConfig or a GPU machine type (`standard_gpu`,
 * `complex_model_m_p100`, `large_model_v100`, …) as masterType.
 */
export const requiresGpu = (input: TrainingInput): boolean =>
  input.scaleTier === 'BASIC_GPU' ||
  (input.scaleTier === 'CUSTOM' &&
    (acceleratorCount(input.masterConfig) > 0 || GPU_MACHINE_TYPE.test(input.masterType ?? '')));

/** The module a custom-package job runs: `pythonModule`, else its alias `module`. */
export const trainerModuleOf = (input: TrainingInput): string | undefined =>
  input.pythonModule ?? input.module;

/** Whether a job trains a built-in algorithm (else it runs a custom package). */
export const isBuiltinJob = (input: TrainingInput): boolean => input.builtinAlgorithm !== undefined;

/** The bucket a project's jobs write to when they name no `jobDir`: `<project>-stratus-staging`. */
export const stagingBucket = (project: string): string => `${project}-stratus-staging`;

/** The `jobDir` of a job that names none: `gs://<project>-stratus-staging/jobs/<jobId>`. */
export const defaultJobDir = (project: string, jobId: string): string =>
  `gs://${stagingBucket(project)}/jobs/${jobId}`;

/** A stored training input: `jobDir` is always set (the default filled in at submission). */
export type StoredTrainingInput = TrainingInput & { readonly jobDir: string };

/** The input with `jobDir` set: its own, else the project's default staging location. */
export const withJobDir = (
  input: TrainingInput,
  project: string,
  jobId: string,
): StoredTrainingInput => ({ ...input, jobDir: input.jobDir ?? defaultJobDir(project, jobId) });
