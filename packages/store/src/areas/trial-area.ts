import type { StoreContext } from '../context.js';
import { listTrials } from '../jobs.js';
import type { TrialRecord } from '../trial-codec.js';
import {
  cancelQueuedTrials,
  claimTrial,
  createTrials,
  findTrial,
  nextTrialId,
  readTrialSeries,
  recordTrialResult,
  reportTrialProgress,
  type ClaimResult,
  type NewTrial,
  type TrialResult,
} from '../trials.js';

/** One objective value a trial reports. */
export interface ProgressPoint {
  readonly step: number;
  readonly value: number;
}

/** A job's trials: planned, claimed by a worker, reported and finished. */
export interface TrialArea {
  nextId(project: string, jobId: string): Promise<string>;
  create(project: string, jobId: string, trials: readonly NewTrial[]): Promise<boolean[]>;
  get(project: string, jobId: string, trialId: string): Promise<TrialRecord | undefined>;
  list(project: string, jobId: string): Promise<TrialRecord[]>;
  claim(project: string, jobId: string, trialId: string, workerId: string): Promise<ClaimResult>;
  reportProgress(
    project: string,
    jobId: string,
    trialId: string,
    point: ProgressPoint,
  ): Promise<boolean>;
  readSeries(project: string, jobId: string, trialId: string): Promise<ProgressPoint[]>;
  recordResult(
    project: string,
    jobId: string,
    trialId: string,
    result: TrialResult,
  ): Promise<boolean>;
  /** Cancel the job's QUEUED trials; returns their ids. */
  cancelQueued(project: string, jobId: string): Promise<string[]>;
}

export const createTrialArea = (ctx: StoreContext): TrialArea => ({
  nextId: (project, jobId) => nextTrialId(ctx, project, jobId),
  create: (project, jobId, trials) => createTrials(ctx, project, jobId, trials),
  get: (project, jobId, trialId) => findTrial(ctx, project, jobId, trialId),
  list: (project, jobId) => listTrials(ctx, project, jobId),
  claim: (project, jobId, trialId, workerId) => claimTrial(ctx, project, jobId, trialId, workerId),
  reportProgress: (project, jobId, trialId, point) =>
    reportTrialProgress(ctx, project, jobId, trialId, point),
  readSeries: (project, jobId, trialId) => readTrialSeries(ctx, project, jobId, trialId),
  recordResult: (project, jobId, trialId, result) =>
    recordTrialResult(ctx, project, jobId, trialId, result),
  cancelQueued: (project, jobId) => cancelQueuedTrials(ctx, project, jobId),
});
