import type { StratusClient } from '@stratus/client';
import type { Job, JobInput, JobLogEntry, JobState, MetricPoint } from '@stratus/spec';
import type { CommandContext } from '../context.js';
import { JOB_VIEW_SUBMITTED } from './job-views.js';
import { MetricGrouper, metricLine } from './metric-lines.js';

export interface StreamJobOptions {
  /** Only this trial's logs and metrics. */
  readonly trial?: string;
}

const severityStyle = (ctx: CommandContext, severity: string): string => {
  const padded = severity.padEnd(7);
  const { style } = ctx.printer;
  if (severity === 'ERROR' || severity === 'CRITICAL') return style.red(padded);
  if (severity === 'WARNING') return style.yellow(padded);
  if (severity === 'DEBUG') return style.dim(padded);
  return padded;
};

const trialTag = (trialId: string | undefined): string =>
  trialId === undefined ? '' : `trial ${trialId}: `;

/**
 * Follow a job's logs and per-epoch metrics (two SSE streams) until the job
 * ends, printing them as they come — lines for people, or one JSON object a
 * line with `--format json` — and return the job in its final state.
 */
export const streamJob = async (
  ctx: CommandContext,
  client: StratusClient,
  jobId: string,
  options: StreamJobOptions = {},
): Promise<Job> => {
  const json = ctx.globals.format?.trim() === 'json';
  const out = (line: string): void => ctx.printer.out(`${line}\n`);
  const grouper = new MetricGrouper((trialId, step, values, time) =>
    out(
      `${time} ${ctx.printer.style.cyan('METRIC ')} ${trialTag(trialId)}${metricLine(step, values)}`,
    ),
  );
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  ctx.io.signal?.addEventListener('abort', stop, { once: true });
  const follow = {
    ...(options.trial === undefined ? {} : { trial: options.trial }),
    signal: controller.signal,
  };
  let endState: JobState | undefined;
  const onEnd = (end: { readonly state: JobState }): void => {
    endState = end.state;
  };
  const logs = async (): Promise<void> => {
    for await (const entry of client.logs.follow(jobId, { ...follow, onEnd })) {
      const { id: _id, ...log } = entry as JobLogEntry & { id: string };
      if (json) out(JSON.stringify({ type: 'log', ...log }));
      else
        out(
          `${log.time} ${severityStyle(ctx, log.severity)} ${trialTag(log.trialId)}${log.message}`,
        );
    }
  };
  const metrics = async (): Promise<void> => {
    for await (const entry of client.metrics.follow(jobId, follow)) {
      const { id: _id, ...point } = entry as MetricPoint & { id: string };
      if (json) out(JSON.stringify({ type: 'metric', ...point }));
      else grouper.add(point.trialId, point.step, point.name, point.value, point.time);
    }
  };
  try {
    // One stream failing stops the other; both end on their own when the job ends.
    await Promise.all(
      [logs(), metrics()].map((task) =>
        task.catch((error: unknown) => {
          controller.abort();
          throw error;
        }),
      ),
    );
  } finally {
    grouper.flush();
    ctx.io.signal?.removeEventListener('abort', stop);
  }
  const job = await client.jobs.get(jobId);
  if (endState !== undefined && job.state !== endState) {
    ctx.printer.info(`Job [${jobId}] ended ${endState}, now ${job.state}.`);
  }
  return job;
};

/** The exit status a followed job's final state means: 0 only for SUCCEEDED. */
export const finishStreamedJob = (ctx: CommandContext, job: Job): number => {
  if (ctx.io.signal?.aborted === true) {
    ctx.printer.info(
      `Stopped following; job [${job.jobId}] is ${job.state}. Resume with: stratus jobs stream-logs ${job.jobId}`,
    );
    return 130;
  }
  const prediction = job.predictionOutput;
  if (job.predictionInput !== undefined) {
    const outputPath = prediction?.outputPath ?? job.predictionInput.outputPath;
    const counts = `${prediction?.predictionCount ?? '0'} predictions, ${prediction?.errorCount ?? '0'} errors`;
    if (job.state === 'SUCCEEDED') {
      ctx.printer.info(`Job [${job.jobId}] SUCCEEDED; output: ${outputPath} (${counts}).`);
      return 0;
    }
    ctx.printer.info(`Output so far: ${outputPath} (${counts}).`);
  }
  if (job.state === 'SUCCEEDED') {
    const modelDir = job.trainingOutput?.modelDir;
    ctx.printer.info(
      `Job [${job.jobId}] SUCCEEDED${modelDir === undefined ? '' : `; model: ${modelDir}`}.`,
    );
    return 0;
  }
  const why =
    job.errorMessage === undefined || job.errorMessage === '' ? '' : `: ${job.errorMessage}`;
  ctx.io.stderr.write(`ERROR: (${ctx.commandId}) Job [${job.jobId}] ended ${job.state}${why}\n`);
  return 1;
};

/**
 * Create a job and either print it with where to look next, or (with
 * `--stream-logs`) follow it with `follow` and return the exit status its
 * final state means; `what` names what `stratus jobs stream-logs` shows.
 */
export const submitAndFollow = async (
  ctx: CommandContext,
  client: StratusClient,
  input: JobInput,
  options: { readonly streamLogs?: boolean },
  what: 'logs' | 'progress',
  follow: (jobId: string) => Promise<Job>,
): Promise<number | undefined> => {
  const job = await client.jobs.create(input);
  ctx.printer.info(`Job [${job.jobId}] submitted successfully.`);
  if (options.streamLogs !== true) {
    await ctx.printer.resource(job, JOB_VIEW_SUBMITTED);
    ctx.printer.info(
      `View its status with: stratus jobs describe ${job.jobId}\n` +
        `or follow its ${what} with: stratus jobs stream-logs ${job.jobId}`,
    );
    return undefined;
  }
  return finishStreamedJob(ctx, await follow(job.jobId));
};
