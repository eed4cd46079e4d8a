import type { BuiltinAlgorithmDefinition } from './builtin-algorithms.js';
import type { FieldViolation } from './errors.js';
import { violationsError } from './field-errors.js';
import { checkGcsUri } from './gcs-uri.js';
import { JOB_OUTPUT_ONLY_FIELDS, JobInputSchema, type JobInput } from './job.js';
import { jobLimitViolations, type JobLimits } from './job-limits.js';
import { checkLabels } from './labels.js';
import { pythonVersionProblem, runtimeVersionProblem } from './runtime-versions.js';
import { trainerModuleProblem } from './trainer-module.js';
import type { TrainingInput } from './training-input.js';
import { parseDurationSeconds, trainerModuleOf } from './training-input.js';
import { hardwareViolations } from './validate-hardware.js';
import { predictionInputViolations } from './validate-prediction-input.js';
import { builtinAlgorithmViolations } from './validate-builtin.js';
import { hyperparameterViolations } from './validate-hyperparameters.js';
import { schemaViolations } from './validate-schema.js';

const TI = 'trainingInput';
const PACKAGE_SUFFIX = /\.(tgz|tar\.gz)$/;

const trainerViolations = (
  input: TrainingInput,
): { violations: FieldViolation[]; definition: BuiltinAlgorithmDefinition | undefined } => {
  const violations: FieldViolation[] = [];
  const report = (field: string, description: string): void => {
    violations.push({ field, description });
  };
  const module = trainerModuleOf(input);
  // pythonModule is Cloud ML's name; `module` its alias, reported under the name the job used.
  const moduleField = `${TI}.${input.pythonModule === undefined ? 'module' : 'pythonModule'}`;
  const custom = input.packageUris !== undefined || module !== undefined;
  if (input.builtinAlgorithm !== undefined && custom) {
    report(
      `${TI}.builtinAlgorithm`,
      'set either builtinAlgorithm or packageUris and pythonModule, not both',
    );
  }
  if (input.builtinAlgorithm === undefined && !custom) {
    report(TI, 'needs a trainer: builtinAlgorithm, or packageUris and pythonModule');
  }
  if (
    input.pythonModule !== undefined &&
    input.module !== undefined &&
    input.pythonModule !== input.module
  ) {
    report(
      `${TI}.module`,
      `is an alias of pythonModule and differs from it ("${input.module}" vs "${input.pythonModule}"); set one of them`,
    );
  }
  if (custom) {
    if (input.packageUris === undefined || input.packageUris.length === 0) {
      report(`${TI}.packageUris`, 'must list at least one gs:// package with pythonModule');
    }
    if (module === undefined) report(`${TI}.pythonModule`, 'is required with packageUris');
    input.packageUris?.forEach((uri, i) => {
      const problem =
        checkGcsUri(uri, { requireObjectPath: true }) ??
        (PACKAGE_SUFFIX.test(uri)
          ? undefined
          : 'must be a .tgz or .tar.gz package (npm pack output)');
      if (problem !== undefined) report(`${TI}.packageUris[${i}]`, problem);
    });
    const problem = module === undefined ? undefined : trainerModuleProblem(module);
    if (problem !== undefined) report(moduleField, problem);
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
  const jobDirProblem = input.jobDir === undefined ? undefined : checkGcsUri(input.jobDir);
  if (jobDirProblem !== undefined)
    violations.push({ field: `${TI}.jobDir`, description: jobDirProblem });
  const versions = [
    ['runtimeVersion', input.runtimeVersion, runtimeVersionProblem],
    ['pythonVersion', input.pythonVersion, pythonVersionProblem],
  ] as const;
  for (const [key, value, problemOf] of versions) {
    const problem = value === undefined ? undefined : problemOf(value);
    if (problem !== undefined) violations.push({ field: `${TI}.${key}`, description: problem });
  }
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
