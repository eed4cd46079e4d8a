import type { StoreContext } from '../context.js';
import { listTrials } from '../jobs.js';
import type { TrialRecord } from '../trial-codec.js';
import { startTrial, type StartTrialResult, type TrialSlot } from '../trial-start.js';
import {
  cancelQueuedTrials,
  createTrials,
  findTrial,
  nextTrialId,
  readTrialSeries,
  recordTrialResult,
  reportShardProgress,
  reportTrialProgress,
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
  /** A worker starts a trial: its project slot, the claim and the job's PREPARING in one step. */
  start(
    project: string,
    jobId: string,
    trialId: string,
    request: { readonly workerId: string; readonly slot: TrialSlot },
  ): Promise<StartTrialResult>;
  reportProgress(
    project: string,
    jobId: string,
    trialId: string,
    point: ProgressPoint,
  ): Promise<boolean>;
  /** A batch prediction shard's rows read so far and, once written, its results and errors. */
  reportShard(
    project: string,
    jobId: string,
    trialId: string,
    counts: {
      readonly rowsDone: number;
      readonly predictionCount?: number;
      readonly errorCount?: number;
    },
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
  nextId: nextTrialId.bind(undefined, ctx),
  create: createTrials.bind(undefined, ctx),
  get: findTrial.bind(undefined, ctx),
  list: listTrials.bind(undefined, ctx),
  start: startTrial.bind(undefined, ctx),
  reportProgress: reportTrialProgress.bind(undefined, ctx),
  reportShard: reportShardProgress.bind(undefined, ctx),
  readSeries: readTrialSeries.bind(undefined, ctx),
  recordResult: recordTrialResult.bind(undefined, ctx),
  cancelQueued: cancelQueuedTrials.bind(undefined, ctx),
});
