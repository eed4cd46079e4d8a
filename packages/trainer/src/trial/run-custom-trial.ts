import {
  TRAINER_DEFAULTS,
  maxRunningTimeSeconds,
  objectiveMetricTag,
  trainerModuleOf,
} from '@stratus/spec';
import { rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCustomTrainer } from '../custom/run-custom-trainer.js';
import {
  trialJobDir,
  trialPaths,
  type TrialContext,
  type TrialResult,
  type TrialSpec,
} from './trial-spec.js';

/** Run a custom trainer package in a child process and read its objective from hypertune. */
export async function runCustomTrial(spec: TrialSpec, context: TrialContext): Promise<TrialResult> {
  const input = spec.trainingInput;
  const metricTag = objectiveMetricTag(spec.hyperparameterMetricTag);
  const { modelDir, trialDir } = trialPaths(trialJobDir(spec), spec.trialId, spec.tuning);
  const timeoutSeconds =
    maxRunningTimeSeconds(input) ??
    context.trainerMaxRunningSeconds ??
    TRAINER_DEFAULTS.maxRunningSeconds;
  // Apart per project (two projects may both have a job "j1") and per attempt (a retry never
  // sees what a killed attempt left half-written); checkpoints come back from the bucket.
  const workDir = join(
    context.workRoot,
    spec.project ?? 'default',
    spec.jobId,
    spec.trialId,
    String(spec.attempt ?? 1),
  );
  try {
    return await runInWorkDir(spec, context, {
      workDir,
      modelDir,
      trialDir,
      metricTag,
      timeoutSeconds,
    });
  } finally {
    await rm(workDir, { recursive: true, force: true });
    // The trial's and job's dirs go too once no other attempt or trial uses them.
    for (let dir = dirname(workDir), up = 0; up < 3; dir = dirname(dir), up += 1) {
      const removed = await rmdir(dir).then(
        () => true,
        () => false,
      );
      if (!removed) break;
    }
  }
}

interface TrialDirs {
  readonly workDir: string;
  readonly modelDir: string;
  readonly trialDir: string;
  readonly metricTag: string;
  readonly timeoutSeconds: number;
}

async function runInWorkDir(
  spec: TrialSpec,
  context: TrialContext,
  dirs: TrialDirs,
): Promise<TrialResult> {
  const input = spec.trainingInput;
  const module = trainerModuleOf(input);
  const { modelDir, metricTag, timeoutSeconds } = dirs;
  const { reporter } = context;
  const finalMetrics: Record<string, number> = {};
  const result = await runCustomTrainer({
    storage: context.storage,
    packageUris: input.packageUris ?? [],
    ...(module === undefined ? {} : { module }),
    args: input.args ?? [],
    hyperparameters: spec.hyperparameters,
    hyperparameterMetricTag: metricTag,
    jobId: spec.jobId,
    trialId: spec.trialId,
    jobDir: trialJobDir(spec),
    modelDir,
    workDir: dirs.workDir,
    checkpointsUri: `${dirs.trialDir}/checkpoints`,
    parentEnv: context.parentEnv,
    backend: context.backend.name,
    timeoutMs: timeoutSeconds * 1000,
    ...(context.trainerLimits === undefined ? {} : { limits: context.trainerLimits }),
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
