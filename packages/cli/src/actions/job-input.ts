import { StratusError, assertValidJobInput, type JobInput } from '@stratus/spec';
import type { Session } from '../session.js';
import { readJobConfigFile } from './job-config-file.js';
import { BUILTIN_FLAG_FIELDS, type TrainingFlags } from './training-flags.js';

/** A job being assembled from `--config` and flags, before validation. */
export interface DraftJob {
  readonly jobId: string;
  readonly trainingInput: Record<string, unknown>;
  readonly labels?: Record<string, string>;
}

const set = (target: Record<string, unknown>, key: string, value: unknown): void => {
  if (value !== undefined) target[key] = value;
};

/** `count=1,type=NVIDIA_TESLA_T4` → `masterConfig.acceleratorConfig`. */
const acceleratorConfig = (spec: Record<string, string>): Record<string, unknown> => {
  const unknown = Object.keys(spec).find((key) => key !== 'count' && key !== 'type');
  if (unknown !== undefined) {
    throw new StratusError('INVALID_ARGUMENT', {
      detail: `--master-accelerator takes count and type, not "${unknown}"`,
    });
  }
  return {
    ...(spec.count === undefined ? {} : { count: Number(spec.count) }),
    ...(spec.type === undefined ? {} : { type: spec.type }),
  };
};

/**
 * The job `--config` describes, with flags overriding it field by field
 * (docs/cli.md): labels merge, `-- USER_ARGS` replace `args`, every
 * built-in flag sets its `builtinAlgorithm` field, and `--staging-bucket`
 * sets `jobDir` to `{bucket}/{jobId}` when neither the file nor `--job-dir` does.
 */
export const draftJob = async (
  session: Session,
  jobId: string,
  flags: TrainingFlags,
  userArgs: readonly string[],
): Promise<DraftJob> => {
  const file =
    flags.config === undefined
      ? { trainingInput: {} }
      : await readJobConfigFile(session.path(flags.config), flags.config);
  const input: Record<string, unknown> = structuredClone(file.trainingInput);
  set(input, 'jobDir', flags.jobDir);
  if (input.jobDir === undefined && flags.stagingBucket !== undefined) {
    input.jobDir = `${flags.stagingBucket.replace(/\/+$/, '')}/${jobId}`;
  }
  set(input, 'region', flags.region);
  set(input, 'scaleTier', flags.scaleTier);
  set(input, 'masterType', flags.masterMachineType);
  set(input, 'runtimeVersion', flags.runtimeVersion);
  set(input, 'pythonVersion', flags.pythonVersion);
  if (flags.moduleName !== undefined) {
    // gcloud's --module-name is pythonModule; it overrides either spelling in --config.
    delete input.module;
    input.pythonModule = flags.moduleName;
  }
  set(input, 'packageUris', flags.packages);
  if (flags.masterAccelerator !== undefined) {
    const master = (input.masterConfig ?? {}) as Record<string, unknown>;
    input.masterConfig = {
      ...master,
      acceleratorConfig: acceleratorConfig(flags.masterAccelerator),
    };
  }
  if (userArgs.length > 0) input.args = [...userArgs];
  const builtinFlags = BUILTIN_FLAG_FIELDS.filter(([flag]) => flags[flag] !== undefined);
  if (builtinFlags.length > 0) {
    const current = input.builtinAlgorithm;
    const builtin: Record<string, unknown> =
      typeof current === 'object' && current !== null ? { ...current } : {};
    for (const [flag, field] of builtinFlags) builtin[field] = flags[flag];
    input.builtinAlgorithm = builtin;
  }
  const labels = { ...file.labels, ...flags.labels };
  return {
    jobId,
    trainingInput: input,
    ...(Object.keys(labels).length === 0 ? {} : { labels }),
  };
};

/** Validate a draft as the API would; throws its INVALID_JOB_SPEC with every field path. */
export const validDraft = (draft: DraftJob): JobInput => assertValidJobInput(draft);
