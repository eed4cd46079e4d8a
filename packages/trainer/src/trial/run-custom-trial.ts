import { DEFAULT_HYPERPARAMETER_METRIC_TAG, maxRunningTimeSeconds } from '@stratus/spec';
import { join } from 'node:path';
import { runCustomTrainer } from '../custom/run-custom-trainer.js';
import { trialPaths, type TrialContext, type TrialResult, type TrialSpec } from './trial-spec.js';

/** Run a custom trainer package in a child process and read its objective from hypertune. */
export async function runCustomTrial(spec: TrialSpec, context: TrialContext): Promise<TrialResult> {
  const input = spec.trainingInput;
  const metricTag = spec.hyperparameterMetricTag ?? DEFAULT_HYPERPARAMETER_METRIC_TAG;
  const { modelDir } = trialPaths(input.jobDir, spec.trialId, spec.tuning);
  const timeoutSeconds = maxRunningTimeSeconds(input);
  const { reporter } = context;
  const finalMetrics: Record<string, number> = {};
  const result = await runCustomTrainer({
    storage: context.storage,
    packageUris: input.packageUris ?? [],
    ...(input.module === undefined ? {} : { module: input.module }),
    args: input.args ?? [],
    hyperparameters: spec.hyperparameters,
    hyperparameterMetricTag: metricTag,
    jobId: spec.jobId,
    trialId: spec.trialId,
    jobDir: input.jobDir,
    modelDir,
    workDir: join(context.workRoot, spec.jobId, spec.trialId),
    parentEnv: context.parentEnv,
    backend: context.backend.name,
    ...(timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 }),
    ...(context.trainerHeapMb === undefined ? {} : { maxOldSpaceSizeMb: context.trainerHeapMb }),
    ...(context.trainerSandbox === undefined ? {} : { sandbox: context.trainerSandbox }),
    ...(context.signal === undefined ? {} : { signal: context.signal }),
    ...(context.preloadModule === undefined ? {} : { preloadModule: context.preloadModule }),
    onLog: (line) => reporter.log(line.stream === 'stderr' ? 'WARNING' : 'INFO', line.line),
    onMetric: (metric) => {
      finalMetrics[metric.tag] = metric.value;
      reporter.metrics(metric.step, { [metric.tag]: metric.value });
    },
  });
  if (result.finalMetric === undefined) {
    reporter.log('WARNING', `The trainer never reported "${metricTag}" through hypertune`);
  }
  return {
    trialId: spec.trialId,
    ...(result.finalMetric === undefined ? {} : { objective: result.finalMetric.value }),
    metricTag,
    trainingStep: result.finalMetric?.step ?? 0,
    finalMetrics,
    modelDir,
    epochs: result.finalMetric?.step ?? 0,
    resumedFromEpoch: 0,
    samplesPerSecond: 0,
  };
}
