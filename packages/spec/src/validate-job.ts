import type { BuiltinAlgorithmDefinition } from './builtin-algorithms.js';
import type { FieldViolation } from './errors.js';
import { violationsError } from './field-errors.js';
import { checkGcsUri } from './gcs-uri.js';
import { JOB_OUTPUT_ONLY_FIELDS, JobInputSchema, type JobInput } from './job.js';
import { jobLimitViolations, type JobLimits } from './job-limits.js';
import { checkLabels } from './labels.js';
import type { TrainingInput } from './training-input.js';
import { parseDurationSeconds } from './training-input.js';
import { predictionInputViolations } from './validate-prediction-input.js';
import { builtinAlgorithmViolations } from './validate-builtin.js';
import { hyperparameterViolations } from './validate-hyperparameters.js';
import { schemaViolations } from './validate-schema.js';

const TI = 'trainingInput';
const PACKAGE_SUFFIX = /\.(tgz|tar\.gz)$/;

/** What is wrong with a custom package's `module` path, or undefined. */
const moduleProblem = (module: string): string | undefined => {
  if (module.length === 0) return 'must not be empty';
  if (module.startsWith('/') || /^[A-Za-z]:/.test(module)) {
    return 'must be a path relative to the package root';
  }
  if (module.includes('\\')) return 'must use "/" separators, not backslashes';
  if (module.split('/').some((s) => s === '..' || s === '.' || s === '')) {
    return 'must not contain ".", ".." or empty path segments';
  }
  return undefined;
};

const hardwareViolations = (input: TrainingInput): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  const tier = input.scaleTier ?? 'BASIC';
  if (tier === 'CUSTOM') {
    if (input.masterConfig === undefined && input.masterType === undefined) {
      violations.push({
        field: `${TI}.masterConfig`,
        description: 'scaleTier CUSTOM requires masterConfig (or masterType)',
      });
    }
  } else {
    for (const key of ['masterType', 'masterConfig'] as const) {
      if (input[key] !== undefined) {
        violations.push({
          field: `${TI}.${key}`,
          description: `is only allowed with scaleTier CUSTOM (scaleTier is ${tier})`,
        });
      }
    }
  }
  const count = input.masterConfig?.acceleratorConfig?.count;
  if (count !== undefined && count < 1) {
    violations.push({
      field: `${TI}.masterConfig.acceleratorConfig.count`,
      description: `must be at least 1 (got ${count})`,
    });
  }
  return violations;
};

const trainerViolations = (
  input: TrainingInput,
): { violations: FieldViolation[]; definition: BuiltinAlgorithmDefinition | undefined } => {
  const violations: FieldViolation[] = [];
  const report = (field: string, description: string): void => {
    violations.push({ field, description });
  };
  const custom = input.packageUris !== undefined || input.module !== undefined;
  if (input.builtinAlgorithm !== undefined && custom) {
    report(
      `${TI}.builtinAlgorithm`,
      'set either builtinAlgorithm or packageUris and module, not both',
    );
  }
  if (input.builtinAlgorithm === undefined && !custom) {
    report(TI, 'needs a trainer: builtinAlgorithm, or packageUris and module');
  }
  if (custom) {
    if (input.packageUris === undefined || input.packageUris.length === 0) {
      report(`${TI}.packageUris`, 'must list at least one gs:// package with module');
    }
    if (input.module === undefined) report(`${TI}.module`, 'is required with packageUris');
    input.packageUris?.forEach((uri, i) => {
      const problem =
        checkGcsUri(uri, { requireObjectPath: true }) ??
        (PACKAGE_SUFFIX.test(uri)
          ? undefined
          : 'must be a .tgz or .tar.gz package (npm pack output)');
      if (problem !== undefined) report(`${TI}.packageUris[${i}]`, problem);
    });
    const problem = input.module === undefined ? undefined : moduleProblem(input.module);
    if (problem !== undefined) report(`${TI}.module`, problem);
  }
  if (input.builtinAlgorithm === undefined) return { violations, definition: undefined };
  if (input.args !== undefined && input.args.length > 0) {
    report(`${TI}.args`, 'are only for custom packages; set builtinAlgorithm fields instead');
  }
  const builtin = builtinAlgorithmViolations(input.builtinAlgorithm, `${TI}.builtinAlgorithm`);
  return { violations: [...violations, ...builtin.violations], definition: builtin.definition };
};

const trainingInputViolations = (
  input: TrainingInput,
  limits: JobLimits | undefined,
): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  const jobDirProblem = checkGcsUri(input.jobDir);
  if (jobDirProblem !== undefined)
    violations.push({ field: `${TI}.jobDir`, description: jobDirProblem });
  violations.push(...hardwareViolations(input));
  const trainer = trainerViolations(input);
  violations.push(...trainer.violations);
  if (input.hyperparameters !== undefined) {
    const custom = input.builtinAlgorithm === undefined;
    // An unknown built-in name is already reported; don't pile custom-trainer rules on top.
    if (custom || trainer.definition !== undefined) {
      violations.push(
        ...hyperparameterViolations(
          input.hyperparameters,
          `${TI}.hyperparameters`,
          trainer.definition,
        ),
      );
    }
    if (limits !== undefined) {
      violations.push(
        ...jobLimitViolations(input.hyperparameters, `${TI}.hyperparameters`, limits),
      );
    }
  }
  const maxRunningTime = input.scheduling?.maxRunningTime;
  if (maxRunningTime !== undefined && parseDurationSeconds(maxRunningTime) <= 0) {
    violations.push({ field: `${TI}.scheduling.maxRunningTime`, description: 'must be positive' });
  }
  return violations;
};

/**
 * Every problem with a job create request: schema violations (types, unknown
 * or missing fields) or, when the shape is right, the semantic rules of
 * docs/api.md, and the server's caps when `limits` is given. Each violation
 * names its field path.
 */
export const validateJobInput = (input: unknown, limits?: JobLimits): FieldViolation[] => {
  const schema = schemaViolations(JobInputSchema, input);
  if (schema.length > 0) {
    return schema.map((v) =>
      (JOB_OUTPUT_ONLY_FIELDS as readonly string[]).includes(v.field)
        ? { field: v.field, description: 'is output only and cannot be set' }
        : v,
    );
  }
  const job = input as JobInput;
  const labels = checkLabels(job.labels, 'labels');
  if (job.trainingInput !== undefined && job.predictionInput !== undefined) {
    return [
      ...labels,
      {
        field: 'predictionInput',
        description: 'set either trainingInput or predictionInput, not both',
      },
    ];
  }
  if (job.predictionInput !== undefined) {
    return [...labels, ...predictionInputViolations(job.predictionInput)];
  }
  if (job.trainingInput === undefined) {
    return [
      ...labels,
      {
        field: 'trainingInput',
        description: 'is required (or predictionInput, for a batch prediction job)',
      },
    ];
  }
  return [...labels, ...trainingInputViolations(job.trainingInput, limits)];
};

/**
 * Validate a job create request and return it typed; throws
 * INVALID_HYPERPARAMETER_SPEC when every violation is inside
 * `trainingInput.hyperparameters`, else INVALID_JOB_SPEC, with all violations.
 * `limits` adds the server's caps (the API passes config's; clients omit them).
 */
export const assertValidJobInput = (input: unknown, limits?: JobLimits): JobInput => {
  const violations = validateJobInput(input, limits);
  if (violations.length === 0) return input as JobInput;
  const hp = `${TI}.hyperparameters`;
  const allHyper = violations.every((v) => v.field === hp || v.field.startsWith(`${hp}.`));
  throw violationsError(allHyper ? 'INVALID_HYPERPARAMETER_SPEC' : 'INVALID_JOB_SPEC', violations);
};
