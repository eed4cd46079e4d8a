import {
  StratusError,
  type BatchPlan,
  type Job,
  type ResolvedHyperparameterSpec,
} from '@stratus/spec';
import { jobName, type StoreContext } from './context.js';
import { decodeJob } from './job-codec.js';
import { assertWorkerId } from './keys.js';
import { commandArgs } from './commands/command.js';
import { START_TRIAL, decodeStartTrialReply } from './commands/trial-start.js';
import type { TrialState } from './trial-state.js';

/** The running-trial slot a start takes (`STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT`). */
export interface TrialSlot {
  /** Who holds it, e.g. `<job>/<trial>/<worker>`; a holder that has a slot keeps it. */
  readonly holder: string;
  /** Live slots the project may hold. */
  readonly limit: number;
  /** How long the slot outlives its holder's last renewal. */
  readonly leaseMs: number;
}

/** Outcome of {@link startTrial}. */
export type StartTrialResult =
  | {
      readonly ok: true;
      readonly attempt: number;
      readonly previousState: TrialState;
      /** What the trial runs with. */
      readonly hyperparameters: Readonly<Record<string, string>>;
      /** The job as the start left it (PREPARING when it was QUEUED), without its trials. */
      readonly job: Job;
      /** The tuning spec resolved at submission; undefined for a job without tuning. */
      readonly tuning: ResolvedHyperparameterSpec | undefined;
      /** A batch prediction job's plan (the trial is its shard `trialId − 1`); else undefined. */
      readonly batch: BatchPlan | undefined;
    }
  | { readonly ok: false; readonly reason: 'PROJECT_FULL'; readonly held: number }
  | { readonly ok: false; readonly reason: 'JOB_NOT_FOUND' }
  | {
      readonly ok: false;
      readonly reason: 'JOB_NOT_LIVE' | 'TRIAL_FINISHED';
      readonly state: string;
    };

/**
 * A worker starts a trial in one round trip: a running-trial slot of the
 * project, the claim (QUEUED → RUNNING, or RUNNING again after its previous
 * worker died, counting the attempt), and a QUEUED job moved to PREPARING —
 * all or nothing. The answer holds everything the trial runs with. Refused
 * when the job is missing, being cancelled or ended, the trial already has a
 * result, or the project's slots are full; TRIAL_NOT_FOUND for an unknown trial.
 */
export const startTrial = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  trialId: string,
  request: { readonly workerId: string; readonly slot: TrialSlot },
): Promise<StartTrialResult> => {
  const jobKeys = ctx.keys.job(project, jobId);
  const projectKeys = ctx.keys.project(project);
  const raw = await ctx.redis.stratusStartTrial(
    commandArgs(START_TRIAL, {
      keys: {
        meta: jobKeys.meta,
        trial: jobKeys.trial(trialId),
        slots: projectKeys.runningTrials,
        queued: projectKeys.jobsInState('QUEUED'),
        preparing: projectKeys.jobsInState('PREPARING'),
      },
      args: {
        workerId: assertWorkerId(request.workerId),
        now: ctx.now().toISOString(),
        holder: request.slot.holder,
        slotLimit: request.slot.limit,
        leaseMs: request.slot.leaseMs,
        jobId,
        project,
        channel: ctx.keys.channel('job-state'),
      },
    }),
  );
  const reply = decodeStartTrialReply(raw);
  switch (reply.outcome) {
    case 'TRIAL_NOT_FOUND':
      throw new StratusError('TRIAL_NOT_FOUND', { name: jobName(project, jobId), trialId });
    case 'OK':
      return {
        ok: true,
        attempt: reply.attempt,
        previousState: reply.previousState,
        hyperparameters: JSON.parse(reply.hyperparameters) as Record<string, string>,
        job: decodeJob(reply.meta, []),
        tuning:
          reply.meta.tuningSpec === undefined
            ? undefined
            : (JSON.parse(reply.meta.tuningSpec) as ResolvedHyperparameterSpec),
        batch:
          reply.meta.batch === undefined ? undefined : (JSON.parse(reply.meta.batch) as BatchPlan),
      };
    case 'PROJECT_FULL':
      return { ok: false, reason: reply.outcome, held: reply.held };
    case 'JOB_NOT_FOUND':
      return { ok: false, reason: reply.outcome };
    default:
      return { ok: false, reason: reply.outcome, state: reply.state };
  }
};
