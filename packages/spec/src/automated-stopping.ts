import { Type, type Static } from '@sinclair/typebox';
import type { FieldViolation } from './errors.js';

/**
 * `hyperparameters.automatedStoppingConfig`: the early-stopping rule under the name
 * ml.googleapis.com v1 gives it (AI Platform Vizier's `StudyConfig.automatedStoppingConfig`;
 * Vertex AI's StudySpec has the same modes as `medianAutomatedStoppingSpec`, …), with exactly
 * one mode set. `medianAutomatedStoppingConfig` is the median rule (what
 * `enableTrialEarlyStopping: true` turns on); `ashaStoppingConfig` is Stratus's asynchronous
 * successive halving over the steps (epochs) trials report.
 */
export const MedianAutomatedStoppingConfigSchema = Type.Object(
  {
    /** Cloud ML compares by elapsed time when true; Stratus compares by step, so only false. */
    useElapsedTime: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const AshaStoppingConfigSchema = Type.Object(
  {
    /** The first rung: the step (epoch) of the first comparison. @defaultValue 1 */
    minSteps: Type.Optional(Type.Integer()),
    /** η: rungs at minSteps·η^k; the top 1/η at each rung go on. @defaultValue 3 */
    reductionFactor: Type.Optional(Type.Integer()),
    /** No rung at or beyond this step (a trial's last epoch); missing: no bound. */
    maxSteps: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type AshaStoppingConfig = Static<typeof AshaStoppingConfigSchema>;

export const AutomatedStoppingConfigSchema = Type.Object(
  {
    medianAutomatedStoppingConfig: Type.Optional(MedianAutomatedStoppingConfigSchema),
    ashaStoppingConfig: Type.Optional(AshaStoppingConfigSchema),
  },
  { additionalProperties: false },
);
export type AutomatedStoppingConfig = Static<typeof AutomatedStoppingConfigSchema>;

/** An ASHA config with its defaults applied. */
export interface ResolvedAshaStopping {
  readonly minSteps: number;
  readonly reductionFactor: number;
  readonly maxSteps?: number;
}

export const resolveAshaStopping = (config: AshaStoppingConfig): ResolvedAshaStopping => ({
  minSteps: config.minSteps ?? 1,
  reductionFactor: config.reductionFactor ?? 3,
  ...(config.maxSteps === undefined ? {} : { maxSteps: config.maxSteps }),
});

/** Every problem with `automatedStoppingConfig` (at `path`) and its clash with `enableTrialEarlyStopping`. */
export const automatedStoppingViolations = (
  config: AutomatedStoppingConfig,
  path: string,
  enableTrialEarlyStopping: boolean | undefined,
): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  const report = (field: string, description: string): void => {
    violations.push({ field, description });
  };
  const modes = Object.keys(config);
  if (modes.length !== 1) {
    report(
      path,
      `must set exactly one of medianAutomatedStoppingConfig, ashaStoppingConfig (got ${modes.length})`,
    );
  }
  if (config.medianAutomatedStoppingConfig?.useElapsedTime === true) {
    report(
      `${path}.medianAutomatedStoppingConfig.useElapsedTime`,
      'only false is supported: Stratus compares trials by step (epoch), not elapsed time',
    );
  }
  const asha = config.ashaStoppingConfig;
  if (asha !== undefined) {
    const p = `${path}.ashaStoppingConfig`;
    if (enableTrialEarlyStopping === true) {
      report(
        p,
        'cannot be combined with enableTrialEarlyStopping (the median rule); set one of them',
      );
    }
    const { minSteps, reductionFactor, maxSteps } = resolveAshaStopping(asha);
    if (minSteps < 1) report(`${p}.minSteps`, `must be at least 1 (got ${minSteps})`);
    if (reductionFactor < 2) {
      report(`${p}.reductionFactor`, `must be at least 2 (got ${reductionFactor})`);
    }
    if (maxSteps !== undefined && maxSteps <= minSteps) {
      report(`${p}.maxSteps`, `must be greater than minSteps (${minSteps}), got ${maxSteps}`);
    }
  }
  return violations;
};
