/** Variables copied from the worker's environment into the trainer's; nothing else is. */
export const INHERITED_ENV_VARS = ['PATH', 'LANG', 'TZ'] as const;

/** What the runner tells the trainer about its trial. */
export interface TrialEnv {
  readonly jobId: string;
  readonly trialId: string;
  readonly jobDir: string;
  readonly modelDir: string;
  readonly checkpointDir: string;
  readonly metricFile: string;
  readonly home: string;
  readonly tmpDir: string;
  /** STRATUS_TFJS_BACKEND for the trainer's tfjs. */
  readonly backend: string;
}

/**
 * The trainer's complete environment: an allowlist, so none of the worker's secrets (admin
 * token, Redis URL, cloud credentials) reach user code. NODE_OPTIONS is never passed: the
 * runner gives node its flags on the command line.
 */
export function buildChildEnv(
  parentEnv: Readonly<Record<string, string | undefined>>,
  trial: TrialEnv,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV_VARS) {
    const value = parentEnv[name];
    if (value !== undefined) env[name] = value;
  }
  return {
    ...env,
    HOME: trial.home,
    TMPDIR: trial.tmpDir,
    STRATUS_JOB_ID: trial.jobId,
    STRATUS_TRIAL_ID: trial.trialId,
    STRATUS_JOB_DIR: trial.jobDir,
    STRATUS_MODEL_DIR: trial.modelDir,
    STRATUS_CHECKPOINT_DIR: trial.checkpointDir,
    STRATUS_TFJS_BACKEND: trial.backend,
    CLOUD_ML_HP_METRIC_FILE: trial.metricFile,
    CLOUD_ML_TRIAL_ID: trial.trialId,
    CLOUD_ML_JOB_ID: trial.jobId,
  };
}
