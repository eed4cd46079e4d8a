import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { DEFAULT_METRIC_TAG, type HypertuneMetric } from '@stratus/hypertune';
import { StratusError } from '@stratus/spec';
import { buildChildEnv } from './child-env.js';
import { LineSplitter } from './line-splitter.js';
import type { CustomTrainerOptions, CustomTrainerResult } from './custom-trainer-types.js';
import { LogGate, DEFAULT_LOG_LIMITS, type LogStream } from './log-gate.js';
import { MetricsTail } from './metrics-tail.js';
import { dependencyClosure, linkRuntimePackages } from './runtime-links.js';
import { superviseChild, type ChildExit } from './supervise-child.js';
import { sandboxFlags } from './trainer-sandbox.js';
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

/**
 * Runs one trial of a custom trainer package: fetches and safely extracts its tarballs, runs
 * `module` with `process.execPath` in its own process group with an allowlisted environment,
 * under Node's permission model unless `sandbox` is 'off' (see trainer-sandbox.ts),
 * streams its output through `onLog` and its hypertune metrics through `onMetric`, and uploads
 * its model. The objective is the last value reported for the metric tag, as in Cloud ML.
 * Throws TRAINER_EXITED, TRAINER_TIMEOUT, TRIAL_CANCELLED or PACKAGE_INVALID. The work dir is
 * left in place (its checkpoints serve a retry); the caller removes it when the trial is over.
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
  const sandbox = sandboxFlags(options.sandbox ?? 'fs', {
    workDir: layout.workDir,
    preload: preloadPath,
    runtimePackages: dependencyClosure(Object.values(linked)),
    runtimeDirs: [RUNTIME_KERNELS_DIR],
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
  tail.start(options.metricsPollMs ?? 250);
  let exit: ChildExit;
  try {
    exit = await superviseChild({
      command: process.execPath,
      args: [
        `--max-old-space-size=${options.maxOldSpaceSizeMb ?? 4096}`,
        ...sandbox,
        '--import',
        preload,
        modulePath,
        ...(options.args ?? []),
        `--job-dir=${options.jobDir}`,
        ...hyperparameters,
      ],
      cwd: layout.packageDir,
      env,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.signal && { signal: options.signal }),
      ...(options.killGraceMs !== undefined && { killGraceMs: options.killGraceMs }),
      onStdout: (chunk) => stdout.push(chunk),
      onStderr: (chunk) => stderr.push(chunk),
    });
  } finally {
    stdout.end();
    stderr.end();
    await tail.stop();
  }
  if (tail.invalidLines > 0)
    gate.note(`${tail.invalidLines} lines of the metrics file were not metrics`);
  const log = gate.finish();
  if (exit.code !== 0 || exit.signal !== null || exit.stoppedBy !== undefined) {
    throw trainerFailure(options, moduleName, exit, stderrTail);
  }

  let modelFiles = 0;
  if (options.modelDir !== undefined) {
    const upload = await uploadDirectory(
      options.storage,
      layout.modelDir,
      options.modelDir,
      options.signal,
    );
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
