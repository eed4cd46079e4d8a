import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { DEFAULT_METRIC_TAG, type HypertuneMetric } from '@stratus/hypertune';
import { StratusError, TRAINER_DEFAULTS } from '@stratus/spec';
import { buildChildEnv } from './child-env.js';
import { LineSplitter } from './line-splitter.js';
import {
  DEFAULT_TRAINER_LIMITS,
  type CustomTrainerOptions,
  type CustomTrainerResult,
} from './custom-trainer-types.js';
import { LogGate, DEFAULT_LOG_LIMITS, type LogStream } from './log-gate.js';
import { MetricsTail } from './metrics-tail.js';
import { dependencyClosure, linkRuntimePackages } from './runtime-links.js';
import { CheckpointSync, restoreCheckpoints } from './checkpoint-sync.js';
import { DiskWatch } from './disk-watch.js';
import { stageInputs } from './stage-inputs.js';
import { superviseChild, type ChildExit } from './supervise-child.js';
import { trainerCommand } from './trainer-command.js';
import { trainerFailure } from './trainer-failure.js';
import {
  fetchTrainerPackages,
  prepareTrialLayout,
  resolveTrainerModule,
} from './trainer-package.js';
import { uploadDirectory } from './upload-directory.js';

const STDERR_TAIL_LINES = 20;
/** Distinct tags remembered; a trainer inventing a new tag per step cannot grow the map forever. */
const MAX_TAGS = 1000;
const DEFAULT_PRELOAD = fileURLToPath(new URL('../../runtime/tfjs-preload.mjs', import.meta.url));
/** The preload imports the worker's wasm training kernels from here. */
const RUNTIME_KERNELS_DIR = fileURLToPath(
  new URL('../../dist/backend/wasm-kernels/', import.meta.url),
);

const MIB = 1024 * 1024;
/** Top-level work dir entries the disk quota leaves out: written by the runner, limited apart. */
const UNMETERED = new Set(['package', 'node_modules', 'inputs']);

/**
 * Runs one trial of a custom trainer package: fetches and safely extracts its tarballs, stages
 * the `gs://` inputs its args name, restores earlier checkpoints, runs `module` with
 * `process.execPath` in its own process group with an allowlisted environment inside the
 * sandbox (bwrap-sandbox.ts; `none` opts out), streams its output through `onLog` and its
 * hypertune metrics through `onMetric`, copies its checkpoints to the bucket as it goes, and
 * uploads its model. The objective is the last value reported for the metric tag, as in
 * Cloud ML. Throws TRAINER_EXITED, TRAINER_TIMEOUT, TRAINER_DISK_QUOTA, TRIAL_CANCELLED,
 * TRAINER_SANDBOX_UNAVAILABLE, INPUT_TOO_LARGE or PACKAGE_INVALID. The caller removes the
 * work dir when the attempt is over.
 */
export async function runCustomTrainer(
  options: CustomTrainerOptions,
): Promise<CustomTrainerResult> {
  const started = Date.now();
  if (options.signal?.aborted === true) {
    throw new StratusError('TRIAL_CANCELLED', {
      trialId: options.trialId,
      detail: 'cancelled before start',
    });
  }
  const layout = await prepareTrialLayout(options.workDir);
  await fetchTrainerPackages({
    storage: options.storage,
    packageUris: options.packageUris,
    layout,
    ...(options.extractLimits && { limits: options.extractLimits }),
    ...(options.signal && { signal: options.signal }),
  }).catch((error: unknown) => {
    if (options.signal?.aborted !== true) throw error;
    const detail = 'cancelled while fetching the trainer package';
    throw new StratusError(
      'TRIAL_CANCELLED',
      { trialId: options.trialId, detail },
      { cause: error },
    );
  });
  const mainUri = options.packageUris[0] ?? '';
  const modulePath = await resolveTrainerModule(layout.packageDir, options.module, mainUri);
  const moduleName = path.relative(layout.packageDir, modulePath);
  const onLog = options.onLog ?? (() => undefined);
  const gate = new LogGate(options.logLimits ?? {}, onLog);
  const runnerNote = (line: string) => onLog({ stream: 'runner', line, time: new Date() });
  const limits = options.limits ?? DEFAULT_TRAINER_LIMITS;
  const staged = await stageInputs(
    options.storage,
    options.args ?? [],
    layout.inputsDir,
    { maxBytes: limits.diskMb * MIB },
    options.signal,
  );
  for (const note of staged.notes) runnerNote(note);
  if (options.checkpointsUri !== undefined) {
    const restored = await restoreCheckpoints(
      options.storage,
      options.checkpointsUri,
      layout.checkpointDir,
      options.signal,
    );
    if (restored > 0)
      runnerNote(`restored ${restored} checkpoint files from ${options.checkpointsUri}`);
  }
  const linked = await linkRuntimePackages(layout.nodeModulesDir, import.meta.url);
  if (linked['@tensorflow/tfjs'] === undefined)
    gate.note('@tensorflow/tfjs is not installed on this worker');

  const stderrTail: string[] = [];
  const maxLineBytes = options.logLimits?.maxLineBytes ?? DEFAULT_LOG_LIMITS.maxLineBytes;
  const splitter = (stream: LogStream) =>
    new LineSplitter(maxLineBytes, (line, bytes, truncated) => {
      if (stream === 'stderr') {
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      }
      gate.offer(stream, line, bytes, truncated);
    });
  const stdout = splitter('stdout');
  const stderr = splitter('stderr');

  const tag = options.hyperparameterMetricTag ?? DEFAULT_METRIC_TAG;
  // A Map: tags come from untrusted code, and '__proto__' must stay just a tag.
  const lastMetrics = new Map<string, { value: number; step: number }>();
  let metricsReported = 0;
  const tail = new MetricsTail(layout.metricFile, (metric: HypertuneMetric) => {
    metricsReported += 1;
    if (lastMetrics.has(metric.tag) || lastMetrics.size < MAX_TAGS) {
      lastMetrics.set(metric.tag, { value: metric.value, step: metric.step });
    }
    const time = new Date(metric.timestamp * 1000);
    options.onMetric?.({ tag: metric.tag, value: metric.value, step: metric.step, time });
  });

  const hyperparameters = Object.entries(options.hyperparameters ?? {}).map(
    ([name, value]) => `--${name}=${String(value)}`,
  );
  const preloadPath = options.preloadModule ?? DEFAULT_PRELOAD;
  const preload = pathToFileURL(preloadPath).href;
  const { command, args } = await trainerCommand({
    sandbox: options.sandbox ?? 'bwrap',
    layout,
    backend: options.backend ?? 'cpu',
    limits: {
      memoryMb: limits.memoryMb,
      fileSizeMb: limits.diskMb,
      maxProcesses: limits.maxProcesses,
    },
    preload: preloadPath,
    pathVar: options.parentEnv.PATH,
    runtimeDirs: [...dependencyClosure(Object.values(linked)), RUNTIME_KERNELS_DIR],
    nodeArgs: [
      `--max-old-space-size=${options.maxOldSpaceSizeMb ?? TRAINER_DEFAULTS.heapMb}`,
      '--import',
      preload,
      modulePath,
      ...staged.args,
      `--job-dir=${options.jobDir}`,
      ...hyperparameters,
    ],
  });
  const env = buildChildEnv(options.parentEnv, {
    jobId: options.jobId,
    trialId: options.trialId,
    jobDir: options.jobDir,
    modelDir: layout.modelDir,
    checkpointDir: layout.checkpointDir,
    metricFile: layout.metricFile,
    home: layout.home,
    tmpDir: layout.tmpDir,
    backend: options.backend ?? 'cpu',
  });
  const quota = new AbortController();
  let overQuota: number | undefined;
  const disk = new DiskWatch(
    layout.workDir,
    limits.diskMb * MIB,
    (bytes) => {
      overQuota = bytes;
      quota.abort('disk quota');
    },
    UNMETERED,
  );
  const sync =
    options.checkpointsUri === undefined
      ? undefined
      : new CheckpointSync(options.storage, layout.checkpointDir, options.checkpointsUri, (error) =>
          runnerNote(`checkpoint copy to the bucket failed: ${(error as Error).message}`),
        );
  tail.start(options.metricsPollMs ?? 250);
  disk.start(options.diskPollMs ?? 1000);
  sync?.start(options.checkpointSyncMs ?? 30_000);
  const signal =
    options.signal === undefined ? quota.signal : AbortSignal.any([options.signal, quota.signal]);
  let exit: ChildExit;
  try {
    exit = await superviseChild({
      command,
      args,
      cwd: layout.packageDir,
      env,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      signal,
      ...(options.killGraceMs !== undefined && { killGraceMs: options.killGraceMs }),
      onStdout: (chunk) => stdout.push(chunk),
      onStderr: (chunk) => stderr.push(chunk),
    });
  } finally {
    disk.stop();
    stdout.end();
    stderr.end();
    await tail.stop();
    await sync?.stop();
  }
  if (overQuota !== undefined) {
    throw new StratusError('TRAINER_DISK_QUOTA', {
      module: moduleName,
      bytes: overQuota,
      limitBytes: limits.diskMb * MIB,
    });
  }
  if (tail.invalidLines > 0)
    gate.note(`${tail.invalidLines} lines of the metrics file were not metrics`);
  const log = gate.finish();
  if (exit.code !== 0 || exit.signal !== null || exit.stoppedBy !== undefined) {
    throw trainerFailure(options, moduleName, exit, stderrTail);
  }

  let modelFiles = 0;
  if (options.modelDir !== undefined) {
    const upload = await uploadDirectory(options.storage, layout.modelDir, options.modelDir, {
      ...(options.signal && { signal: options.signal }),
    });
    modelFiles = upload.files;
    if (upload.skipped.length > 0) {
      onLog({
        stream: 'runner',
        line: `not uploaded (not regular files): ${upload.skipped.join(', ')}`,
        time: new Date(),
      });
    }
  }
  const objective = lastMetrics.get(tag);
  return {
    ...(objective && { finalMetric: { tag, ...objective } }),
    lastMetrics: Object.fromEntries(lastMetrics),
    metricsReported,
    log,
    modelFiles,
    durationMs: Date.now() - started,
  };
}
