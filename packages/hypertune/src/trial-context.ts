/**
 * What a custom trainer learns about its trial from its environment and command line.
 *
 * This package is the one place in Stratus allowed to read `process.env`: it runs inside the
 * user's trainer process (started by the custom-trainer runner with an allowlisted
 * environment), never in the server. Every function takes an optional context so tests and
 * callers can pass their own env and argv instead.
 */

/** Where to read the trial's settings from. */
export interface HypertuneContext {
  /** @defaultValue process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Arguments after the script path. @defaultValue process.argv.slice(2) */
  readonly argv?: readonly string[];
}

/** cloudml-hypertune's metrics file when CLOUD_ML_HP_METRIC_FILE is unset. */
export const DEFAULT_METRIC_FILE = '/tmp/hypertune/output.metrics';

const envOf = (context: HypertuneContext): Readonly<Record<string, string | undefined>> =>
  context.env ?? process.env;

const argvOf = (context: HypertuneContext): readonly string[] =>
  context.argv ?? process.argv.slice(2);

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/** The file metrics are appended to (CLOUD_ML_HP_METRIC_FILE). */
export const getMetricFilePath = (context: HypertuneContext = {}): string =>
  nonEmpty(envOf(context).CLOUD_ML_HP_METRIC_FILE) ?? DEFAULT_METRIC_FILE;

/** The trial id (CLOUD_ML_TRIAL_ID, else STRATUS_TRIAL_ID); '0' outside a tuning job, as in cloudml-hypertune. */
export const getTrialId = (context: HypertuneContext = {}): string => {
  const env = envOf(context);
  return nonEmpty(env.CLOUD_ML_TRIAL_ID) ?? nonEmpty(env.STRATUS_TRIAL_ID) ?? '0';
};

/** The job id (CLOUD_ML_JOB_ID, else STRATUS_JOB_ID). */
export const getJobId = (context: HypertuneContext = {}): string | undefined => {
  const env = envOf(context);
  return nonEmpty(env.CLOUD_ML_JOB_ID) ?? nonEmpty(env.STRATUS_JOB_ID);
};

/** Local directory the trainer saves its exported model to (STRATUS_MODEL_DIR). */
export const getModelDir = (context: HypertuneContext = {}): string | undefined =>
  nonEmpty(envOf(context).STRATUS_MODEL_DIR);

/** Local directory for the trainer's checkpoints (STRATUS_CHECKPOINT_DIR). */
export const getCheckpointDir = (context: HypertuneContext = {}): string | undefined =>
  nonEmpty(envOf(context).STRATUS_CHECKPOINT_DIR);

/** Value of a `--name=value` or `--name value` flag; the last occurrence wins. */
export function getFlag(name: string, context: HypertuneContext = {}): string | undefined {
  const argv = argvOf(context);
  const flag = `--${name}`;
  let found: string | undefined;
  argv.forEach((arg, index) => {
    if (arg.startsWith(`${flag}=`)) found = arg.slice(flag.length + 1);
    else if (arg === flag) {
      const next = argv[index + 1];
      if (next !== undefined && !next.startsWith('--')) found = next;
    }
  });
  return found;
}

/** The job directory URI: the `--job-dir` argument, else STRATUS_JOB_DIR. */
export const getJobDir = (context: HypertuneContext = {}): string | undefined =>
  nonEmpty(getFlag('job-dir', context)) ?? nonEmpty(envOf(context).STRATUS_JOB_DIR);

/**
 * Every `--name=value` argument except `--job-dir`, as strings. Cloud ML passes the trial's
 * hyperparameters this way after the user's args, so a tuned value overrides a default.
 */
export function getHyperparameters(context: HypertuneContext = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const arg of argvOf(context)) {
    const match = /^--([^=\s]+)=(.*)$/s.exec(arg);
    if (match === null || match[1] === undefined || match[2] === undefined) continue;
    if (match[1] === 'job-dir') continue;
    values[match[1]] = match[2];
  }
  return values;
}
