import type { Job, Logger, ResolvedHyperparameterSpec } from '@stratus/spec';
import { enqueueTrials, type StoreAreas, type TrialQueues, type TrialRecord } from '@stratus/store';
import { dropQueuedTrials as dropQueued } from './cancel.js';

/** How long a crashed controller step blocks the next one on its job. @defaultValue 30000 */
export const DEFAULT_CONTROLLER_LOCK_TTL_MS = 30_000;

/** What the controller step needs. */
export interface ControllerDeps {
  readonly store: StoreAreas<'events' | 'jobs' | 'trials'>;
  readonly queues: TrialQueues;
  readonly logger?: Logger;
  /** The job lock's TTL: how long a crashed step blocks the next one. @defaultValue {@link DEFAULT_CONTROLLER_LOCK_TTL_MS} */
  readonly lockTtlMs?: number;
  /** How long a step waits for another worker's step on the same job. @defaultValue the lock's TTL */
  readonly lockWaitMs?: number;
}

/** What a step did. */
export type ControllerAction =
  /** Nothing to do (job ended or missing). */
  | 'none'
  /** Another worker holds the job lock (and will see this event's effects). */
  | 'busy'
  /** Trials are still queued or running. */
  | 'waiting'
  /** New tuning trials were created and enqueued. */
  | 'enqueued'
  | 'succeeded'
  | 'failed'
  /** Cancel requested; trials are still stopping. */
  | 'cancelling'
  | 'cancelled';

export interface ControllerStepResult {
  readonly action: ControllerAction;
  /** Trial ids created and enqueued by this step. */
  readonly enqueued: readonly string[];
}

/** What a step function sees (the lock is already held). */
export interface StepContext {
  readonly deps: ControllerDeps;
  readonly logger: Logger;
  readonly project: string;
  readonly job: Job;
  /** The job's tuning spec as resolved at submission; undefined for a job without tuning. */
  readonly tuning: ResolvedHyperparameterSpec | undefined;
  readonly trials: readonly TrialRecord[];
}

export const stepResult = (
  action: ControllerAction,
  enqueued: readonly string[] = [],
): ControllerStepResult => ({
  action,
  enqueued,
});

/** Mark still-QUEUED trials CANCELLED and take them off their queue. */
export const dropQueuedTrials = (ctx: StepContext): Promise<string[]> =>
  ctx.trials.some((trial) => trial.state === 'QUEUED')
    ? dropQueued(ctx.deps.store, ctx.deps.queues, ctx.project, ctx.job)
    : Promise.resolve([]);

/** Put QUEUED trials on their queue again (a no-op for those still there): heals a crash between create and enqueue. */
export const requeueQueuedTrials = (ctx: StepContext): Promise<void> =>
  enqueueTrials(
    ctx.deps.queues,
    ctx.project,
    ctx.job,
    ctx.trials.filter((trial) => trial.state === 'QUEUED').map((trial) => trial.trialId),
  );
