import type { FieldViolation } from './errors.js';
import {
  acceleratorCount,
  TPU_ACCELERATOR_TYPES,
  type ReplicaConfig,
  type TrainingInput,
} from './training-input.js';

const TI = 'trainingInput';

/** How Stratus scales a job, for the refusals of Cloud ML's replica fields. */
export const SCALING_NOTE =
  'Stratus runs each trial as one process with one training thread and scales with parallel trials ' +
  '(hyperparameters.maxParallelTrials) spread over its workers (STRATUS_WORKER_CONCURRENCY trials each); ' +
  'it has no worker, parameter server or evaluator replicas';

const TPU_NOTE = 'TPUs are not supported: Stratus workers run on CPUs and NVIDIA GPUs';
const CONTAINER_NOTE =
  'custom containers are not supported: Stratus runs npm packages (packageUris and pythonModule)';

/** Machine types that are TPUs. */
const TPU_MACHINE_TYPE = /tpu/i;

/** Cloud ML's machine type spelling: lowercase letters, digits, `_` and `-`. */
const MACHINE_TYPE = /^[a-z][a-z0-9_-]*$/;

/** Fields of the cloud around a Cloud ML job that Stratus refuses, with the reason. */
const REFUSED_CLOUD_FIELDS: readonly (readonly [keyof TrainingInput, string])[] = [
  [
    'encryptionConfig',
    'customer-managed encryption keys are not supported; the bucket backend encrypts at rest or not',
  ],
  ['network', 'VPC peering does not apply: custom trainers run sandboxed with no network'],
  [
    'serviceAccount',
    "trainers run with no credentials; a job reads and writes its project's buckets (docs/api.md, Buckets)",
  ],
];

const replicaConfigViolations = (
  config: ReplicaConfig | undefined,
  field: string,
): FieldViolation[] => {
  if (config === undefined) return [];
  const violations: FieldViolation[] = [];
  const refuse = (key: string, description: string): void => {
    violations.push({ field: `${field}.${key}`, description });
  };
  for (const key of ['imageUri', 'containerCommand', 'containerArgs'] as const) {
    if (config[key] !== undefined) refuse(key, CONTAINER_NOTE);
  }
  if (config.tpuTfVersion !== undefined) refuse('tpuTfVersion', TPU_NOTE);
  const accelerator = config.acceleratorConfig;
  if (accelerator !== undefined) {
    const count = acceleratorCount(config);
    if (count < 1) refuse('acceleratorConfig.count', `must be at least 1 (got ${count})`);
    if ((TPU_ACCELERATOR_TYPES as readonly string[]).includes(accelerator.type)) {
      refuse('acceleratorConfig.type', TPU_NOTE);
    }
  }
  return violations;
};

/** Cloud ML's worker, parameter server and evaluator fields: refused unless they ask for nothing. */
const replicaViolations = (input: TrainingInput): FieldViolation[] =>
  (['worker', 'parameterServer', 'evaluator'] as const).flatMap((replica) => {
    const asked = [
      [`${replica}Count`, Number(input[`${replica}Count`] ?? 0) > 0],
      [`${replica}Type`, input[`${replica}Type`] !== undefined],
      [`${replica}Config`, input[`${replica}Config`] !== undefined],
    ] as const;
    return asked
      .filter(([, set]) => set)
      .map(([key]) => ({
        field: `${TI}.${key}`,
        description: `is not supported: ${SCALING_NOTE}`,
      }));
  });

/** The fields about the cloud around a job that Stratus refuses. */
const cloudViolations = (input: TrainingInput): FieldViolation[] => {
  const violations = REFUSED_CLOUD_FIELDS.filter(([key]) => input[key] !== undefined).map(
    ([key, reason]) => ({ field: `${TI}.${key}`, description: `is not supported: ${reason}` }),
  );
  if (input.enableWebAccess === true) {
    violations.push({
      field: `${TI}.enableWebAccess`,
      description:
        'is not supported: trainers run sandboxed; follow them with `stratus jobs stream-logs`',
    });
  }
  if (input.scheduling?.maxWaitTime !== undefined) {
    violations.push({
      field: `${TI}.scheduling.maxWaitTime`,
      description:
        'is not supported: a job waits in its queue until a worker takes it; cancel it to stop waiting',
    });
  }
  if (input.scheduling?.priority !== undefined) {
    violations.push({
      field: `${TI}.scheduling.priority`,
      description: "is not supported: each queue serves a project's jobs first in, first out",
    });
  }
  return violations;
};

/**
 * The scale tier, master machine and replica rules: BASIC, STANDARD_1 and
 * PREMIUM_1 run on the CPU queue, BASIC_GPU on the GPU queue, CUSTOM on
 * whichever masterType / masterConfig.acceleratorConfig ask for (requiresGpu);
 * TPUs, custom containers and replicas are refused with the reason.
 */
export const hardwareViolations = (input: TrainingInput): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  const report = (field: string, description: string): void => {
    violations.push({ field: `${TI}.${field}`, description });
  };
  const tier = input.scaleTier ?? 'BASIC';
  if (tier === 'BASIC_TPU')
    report(
      'scaleTier',
      `BASIC_TPU is not supported: ${TPU_NOTE}; use BASIC, STANDARD_1, PREMIUM_1, BASIC_GPU or CUSTOM`,
    );
  if (tier === 'CUSTOM') {
    if (input.masterConfig === undefined && input.masterType === undefined) {
      report('masterConfig', 'scaleTier CUSTOM requires masterConfig (or masterType)');
    }
  } else {
    for (const key of ['masterType', 'masterConfig'] as const) {
      if (input[key] !== undefined) {
        report(key, `is only allowed with scaleTier CUSTOM (scaleTier is ${tier})`);
      }
    }
  }
  const machine = input.masterType;
  if (machine !== undefined) {
    if (!MACHINE_TYPE.test(machine)) {
      report('masterType', `"${machine}" is not a machine type (e.g. n1-standard-4, standard_gpu)`);
    } else if (TPU_MACHINE_TYPE.test(machine)) {
      report('masterType', `"${machine}" is not supported: ${TPU_NOTE}`);
    }
  }
  violations.push(...replicaConfigViolations(input.masterConfig, `${TI}.masterConfig`));
  violations.push(...replicaViolations(input));
  violations.push(...cloudViolations(input));
  return violations;
};
