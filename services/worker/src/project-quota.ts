import type { StoreAreas, ProjectSlots, TrialJobData } from '@stratus/store';
import { LRUCache } from 'lru-cache';
import type { Logger } from '@stratus/spec';

export interface ProjectQuotaOptions {
  readonly store: StoreAreas<'streams'>;
  readonly slots: ProjectSlots;
  readonly workerId: string;
  /** `STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT` */
  readonly limit: number;
  /** How long a slot outlives its worker's last renewal. */
  readonly leaseMs: number;
  readonly logger: Logger;
}

/**
 * Waiting trials remembered as already announced; past it the one announced longest ago is
 * forgotten (and announced again should it still wait).
 */
const MAX_ANNOUNCED = 10_000;

/** A running-trial slot this worker holds. */
export interface ProjectSlot {
  readonly project: string;
  readonly holder: string;
}

/**
 * The running-trials quota of each project, across every worker: a trial
 * takes a slot of its project before it starts (and gives it back when it
 * ends); when the project has none free the trial stays QUEUED and its job
 * goes back to BullMQ's delayed set. The job log says once per trial that it waits.
 */
export class ProjectQuota {
  private readonly held = new Set<ProjectSlot>();
  /** Trials cancelled while waiting never come back to be deleted: the cache bounds them. */
  private readonly announced = new LRUCache<string, true>({ max: MAX_ANNOUNCED });

  constructor(private readonly options: ProjectQuotaOptions) {}

  /** A slot for this trial, or undefined when its project runs as many trials as it may. */
  async enter(data: TrialJobData): Promise<ProjectSlot | undefined> {
    const { slots, workerId, limit, leaseMs } = this.options;
    const { project, jobId, trialId } = data;
    const holder = `${jobId}/${trialId}/${workerId}`;
    const key = `${project}/${jobId}/${trialId}`;
    const result = await slots.acquire(project, holder, limit, leaseMs);
    if (result.ok) {
      this.announced.delete(key);
      const held = { project, holder };
      this.held.add(held);
      return held;
    }
    if (!this.announced.has(key)) {
      this.announced.set(key, true);
      await this.announce(data, result.held);
    }
    return undefined;
  }

  /** Give a slot back (the trial ended, failed or was handed back to the queue). */
  async leave(held: ProjectSlot): Promise<void> {
    this.held.delete(held);
    await this.options.slots.release(held.project, held.holder);
  }

  /** Extend every slot this worker holds (called with the heartbeat). */
  renew(): Promise<void> {
    return this.options.slots.renew([...this.held], this.options.leaseMs);
  }

  private async announce(data: TrialJobData, held: number): Promise<void> {
    const { project, jobId, trialId } = data;
    const message =
      `Trial ${trialId} waits: project ${project} runs ${held} trials, the limit of ` +
      `${this.options.limit} (STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT); it starts when one ends`;
    this.options.logger.info({ project, jobId, trialId }, message);
    await this.options.store.streams
      .appendLog(project, jobId, {
        trialId,
        severity: 'INFO',
        message,
        time: new Date().toISOString(),
      })
      .catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'could not log the wait'),
      );
  }
}
