import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TrialReporter, TrialResult } from '@stratus/trainer';
import type { ActionHandler, CommandContext } from '../context.js';
import type { ResourceView } from '../output/printer.js';
import { openLocalWorkspace, type LocalWorkspace } from '../local/local-workspace.js';
import { draftJob, validDraft, type DraftJob } from './job-input.js';
import { metricLine } from './metric-lines.js';
import { npmPack } from './npm-pack.js';
import type { TrainingFlags } from './training-flags.js';
import { userArgsOf } from './user-args.js';

interface LocalTrainOptions extends TrainingFlags {
  readonly jobId: string;
  readonly hyperparameters?: Record<string, string>;
}

/** Replace local paths in the draft with staged `gs://stratus-local/…` URIs. */
const stageInputs = async (
  ctx: CommandContext,
  workspace: LocalWorkspace,
  draft: DraftJob,
  packagePath: string | undefined,
): Promise<DraftJob> => {
  const input = { ...draft.trainingInput };
  const builtin = input.builtinAlgorithm as Record<string, unknown> | undefined;
  if (builtin !== undefined) {
    const staged = { ...builtin };
    for (const field of ['trainingData', 'validationData'] as const) {
      const value = staged[field];
      if (typeof value === 'string')
        staged[field] = await workspace.stage(
          value,
          `--${field === 'trainingData' ? 'training-data' : 'validation-data'}`,
        );
    }
    input.builtinAlgorithm = staged;
  }
  const uris = Array.isArray(input.packageUris) ? (input.packageUris as unknown[]) : [];
  const packages: unknown[] = [];
  if (packagePath !== undefined) {
    const packed = await npmPack(ctx.session.path(packagePath), ctx.io.env);
    try {
      packages.push(await workspace.stage(packed.file, '--package-path'));
    } finally {
      await packed.cleanup();
    }
  }
  for (const uri of uris)
    packages.push(typeof uri === 'string' ? await workspace.stage(uri, '--packages') : uri);
  if (packages.length > 0) input.packageUris = packages;
  return { ...draft, trainingInput: input };
};

const RESULT_VIEW: ResourceView = {
  columns: [
    { field: 'metricTag' },
    { field: 'objective' },
    { field: 'epochs' },
    { field: 'modelDir' },
  ],
};

/** Prints what the trial reports: log lines, and one line of metrics per epoch. */
const printingReporter = (ctx: CommandContext, workspace: LocalWorkspace): TrialReporter => {
  const json = ctx.globals.format?.trim() === 'json';
  const line = (text: string): void => ctx.printer.out(`${text}\n`);
  return {
    log: (severity, message) =>
      json
        ? line(JSON.stringify({ type: 'log', severity, message, time: new Date().toISOString() }))
        : line(`${severity.padEnd(7)} ${workspace.unstage(message)}`),
    metrics: (step, values) =>
      json
        ? line(JSON.stringify({ type: 'metrics', step, values }))
        : line(`METRIC  ${metricLine(step, values)}`),
    progress: () => undefined,
  };
};

/**
 * `stratus local train`: run one trial of the job on this machine with no
 * server or Redis — built-in or custom, data from local paths or `gs://`.
 * A local (or omitted) `--job-dir` receives the checkpoints and `model/`.
 */
export const localTrain: ActionHandler<LocalTrainOptions> = async (ctx, args, options) => {
  const userArgs = userArgsOf(ctx, args[0]);
  const draft = await draftJob(ctx.session, options.jobId, options, userArgs);
  const config = await ctx.session.serverConfig();
  const workspace = await openLocalWorkspace(ctx.session);
  try {
    const given = draft.trainingInput.jobDir;
    const remoteJobDir = typeof given === 'string' && given.startsWith('gs://');
    const localJobDir = remoteJobDir
      ? undefined
      : typeof given === 'string'
        ? ctx.session.path(given)
        : await mkdtemp(join(tmpdir(), `stratus-${options.jobId}-`));
    const jobDir = remoteJobDir ? (given as string) : workspace.scratchUri('job');
    if (localJobDir !== undefined) workspace.alias(jobDir, localJobDir);
    const staged = await stageInputs(
      ctx,
      workspace,
      { ...draft, trainingInput: { ...draft.trainingInput, jobDir } },
      options.packagePath,
    );
    const input = validDraft(staged);
    const { trainingInput } = input;
    if (trainingInput === undefined) throw new Error('local train needs a trainingInput');
    const { DatasetCache, runTrial, selectTrainingBackend } = await import('@stratus/trainer');
    const backend = await selectTrainingBackend(config.tfjsBackend);
    ctx.printer.info(`TensorFlow.js backend: ${backend.name} (${backend.reason})`);
    let result: TrialResult;
    try {
      result = await workspace.translateErrors(() =>
        runTrial(
          {
            jobId: input.jobId,
            trialId: '1',
            trainingInput,
            hyperparameters: options.hyperparameters ?? {},
            tuning: false,
            ...(trainingInput.hyperparameters?.hyperparameterMetricTag === undefined
              ? {}
              : { hyperparameterMetricTag: trainingInput.hyperparameters.hyperparameterMetricTag }),
          },
          {
            storage: workspace.storage,
            cache: new DatasetCache({ dir: join(workspace.root, 'cache') }),
            reporter: printingReporter(ctx, workspace),
            workRoot: join(workspace.root, 'work'),
            maxModelParams: config.limits.maxModelParams,
            backend,
            trainerSandbox: config.trainerSandbox,
            trainerLimits: config.trainerLimits,
            trainerMaxRunningSeconds: config.trainerLimits.maxRunningSeconds,
            parentEnv: ctx.io.env,
            ...(ctx.io.signal === undefined ? {} : { signal: ctx.io.signal }),
          },
        ),
      );
    } finally {
      // Checkpoints are worth keeping even when the trial failed.
      if (localJobDir !== undefined) await workspace.exportTo(jobDir, localJobDir).catch(() => 0);
    }
    const modelDir = localJobDir === undefined ? result.modelDir : join(localJobDir, 'model');
    const summary = { ...result, modelDir };
    if (ctx.globals.format?.trim() === 'json') {
      ctx.printer.out(`${JSON.stringify({ type: 'result', ...summary })}\n`);
    } else if (ctx.printer.explicitFormat) {
      await ctx.printer.resource(summary, RESULT_VIEW);
    } else {
      const objective =
        result.objective === undefined
          ? `no ${result.metricTag} reported`
          : `${result.metricTag}=${result.objective}`;
      const epochs = result.epochs > 0 ? ` after ${result.epochs} epoch(s)` : '';
      ctx.printer.info(`Trial finished: ${objective}${epochs}.`);
      ctx.printer.info(`Model exported to ${modelDir}`);
    }
  } finally {
    await workspace.close();
  }
};
