import type { FieldViolation } from './errors.js';
import type { HyperparameterSpec } from './hyperparameters.js';

/**
 * The server's caps on one job's tuning spec (config's `limits`): a job past
 * them would plan and enqueue that many trials at submit, so they are refused
 * with the field, the value and the variable that sets the cap.
 */
export interface JobLimits {
  /** `STRATUS_MAX_TRIALS` */
  readonly maxTrials: number;
  /** `STRATUS_MAX_PARALLEL_TRIALS` */
  readonly maxParallelTrials: number;
}

const CAPS = [
  ['maxTrials', 'STRATUS_MAX_TRIALS'],
  ['maxParallelTrials', 'STRATUS_MAX_PARALLEL_TRIALS'],
] as const;

/** Every cap a hyperparameter spec at `path` goes past (nothing when `spec` is undefined). */
export const jobLimitViolations = (
  spec: HyperparameterSpec | undefined,
  path: string,
  limits: JobLimits,
): FieldViolation[] =>
  CAPS.flatMap(([field, variable]) => {
    const value = spec?.[field];
    const limit = limits[field];
    return value !== undefined && value > limit
      ? [
          {
            field: `${path}.${field}`,
            description: `${value} exceeds the limit of ${limit} (${variable})`,
          },
        ]
      : [];
  });
