import { StratusError } from '@stratus/spec';
import { runBuiltinTrial } from './run-builtin-trial.js';
import { runCustomTrial } from './run-custom-trial.js';
import type { TrialContext, TrialResult, TrialSpec } from './trial-spec.js';

/**
 * Run one trial — a built-in algorithm or a custom trainer package — and
 * return its objective and model directory. The worker, `stratus local
 * train` and tests all run trials through this function.
 */
export async function runTrial(spec: TrialSpec, context: TrialContext): Promise<TrialResult> {
  const algorithm = spec.trainingInput.builtinAlgorithm;
  if (algorithm !== undefined) return runBuiltinTrial(spec, algorithm, context);
  if ((spec.trainingInput.packageUris?.length ?? 0) > 0) return runCustomTrial(spec, context);
  throw new StratusError('INVALID_JOB_SPEC', {
    detail: 'trainingInput needs builtinAlgorithm or packageUris with module',
  });
}
