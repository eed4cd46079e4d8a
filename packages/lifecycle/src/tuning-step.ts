import type { ResolvedHyperparameterSpec } from '@stratus/spec';
import { enqueueTrials, type NewTrial, type TrialRecord } from '@stratus/store';
import { failJob, succeedJob } from './job-transitions.js';
import {
  dropQueuedTrials,
  requeueQueuedTrials,
  stepResult,
  type ControllerStepResult,
  type StepContext,
} from './step-context.js';
import { proposeTrials, studyHistory } from './study.js';

const COMPLETED = new Set<TrialRecord['state']>(['SUCCEEDED', 'STOPPED']);
const ACTIVE = new Set<TrialRecord['state']>(['QUEUED', 'RUNNING']);

/** "3 of 4 trials failed, reaching maxFailedTrials (3): trial 1: …; trial 2: …" */
const failureMessage = (
  failed: readonly TrialRecord[],
  total: number,
  spec: ResolvedHyperparameterSpec,
): string =>
  `${failed.length} of ${total} trials failed, reaching maxFailedTrials (${spec.maxFailedTrials}): ` +
  failed.map((trial) => `trial ${trial.trialId}: ${trial.errorMessage ?? 'failed'}`).join('; ');

/** The tuner's next trials for the free slots, created and enqueued. */
const createNextTrials = async (
  ctx: StepContext,
  spec: ResolvedHyperparameterSpec,
  count: number,
): Promise<string[]> => {
  const { store, queues } = ctx.deps;
  const { job, project } = ctx;
  const history = await studyHistory(store, project, spec, ctx.trials);
  const proposals = proposeTrials(project, job.jobId, spec, history, count);
  // Ids follow the highest one (not a counter): two steps that raced past an
  // expired lock propose the same ids, and createTrials keeps only the first.
  const highest = Math.max(0, ...ctx.trials.map((trial) => Number(trial.trialId)));
  const trials: NewTrial[] = proposals.map((hyperparameters, i) => ({
    trialId: String(highest + 1 + i),
    hyperparameters,
  }));
  const created = await store.trials.create(project, job.jobId, trials);
  const ids = trials.filter((_, i) => created[i] === true).map((trial) => trial.trialId);
  await enqueueTrials(queues, project, job, ids);
  if (ids.length > 0) ctx.logger.info({ trialIds: ids }, 'enqueued tuning trials');
  return ids;
};

/**
 * A tuning job's step: fail it after maxFailedTrials failures, else fill the
 * free parallel slots (up to maxTrials in all) with the tuner's suggestions,
 * and finish it once no trial is queued or running.
 */
export const tuningStep = async (
  ctx: StepContext,
  spec: ResolvedHyperparameterSpec,
): Promise<ControllerStepResult> => {
  const { store } = ctx.deps;
  const { job, project, trials } = ctx;

  const failed = trials.filter((trial) => trial.state === 'FAILED');
  if (failed.length >= spec.maxFailedTrials) {
    const message = failureMessage(failed, trials.length, spec);
    const done = await failJob(store, project, job.jobId, message);
    await dropQueuedTrials(ctx);
    // Trials still running elsewhere are stopped like a cancel would.
    if (trials.some((trial) => trial.state === 'RUNNING'))
      await store.events.publishCancel(project, job.jobId);
    if (done.ok) ctx.logger.info({ failed: failed.length }, 'tuning job failed');
    return stepResult(done.ok ? 'failed' : 'none');
  }

  const active = trials.filter((trial) => ACTIVE.has(trial.state)).length;
  await requeueQueuedTrials(ctx);
  const slots = Math.min(spec.maxParallelTrials - active, spec.maxTrials - trials.length);
  const enqueued = slots > 0 ? await createNextTrials(ctx, spec, slots) : [];
  if (active + enqueued.length > 0)
    return stepResult(enqueued.length > 0 ? 'enqueued' : 'waiting', enqueued);

  const completed = trials.filter((trial) => COMPLETED.has(trial.state));
  const done =
    completed.length > 0
      ? await succeedJob(store, project, job)
      : await failJob(
          store,
          project,
          job.jobId,
          `no trial completed (${trials.length} trials: ${failed.length} failed)`,
        );
  if (done.ok) ctx.logger.info({ completed: completed.length }, 'tuning job finished');
  return stepResult(done.ok ? (completed.length > 0 ? 'succeeded' : 'failed') : 'none');
};
