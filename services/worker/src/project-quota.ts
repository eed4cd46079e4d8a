import type { StoreAreas, ProjectSlots, TrialJobData, TrialSlot } from '@stratus/store';
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

const announceKey = (data: TrialJobData): string => `${data.project}/${data.jobId}/${data.trialId}`;

/** A running-trial slot this worker holds. */
export interface ProjectSlot {
  readonly project: string;
  readonly holder: string;
}

/**
 * The running-trials quota of each project, across every worker: a trial
 * takes a slot of its project as it starts (`store.trials.start`, in the same
 * step as its claim) and gives it back when it ends; when the project has none
 * free the trial stays QUEUED and its job goes back to BullMQ's delayed set.
 * The job log says once per trial that it waits. This class names the slots,
 * renews the ones this worker holds, and announces the waits.
 */
export class ProjectQuota {
  private readonly held = new Set<ProjectSlot>();
  /** Trials cancelled while waiting never come back to be deleted: the cache bounds them. */
  private readonly announced = new LRUCache<string, true>({ max: MAX_ANNOUNCED });

  constructor(private readonly options: ProjectQuotaOptions) {}

  /** The slot this trial's start asks for. */
  slotFor(data: TrialJobData): TrialSlot {
    const { workerId, limit, leaseMs } = this.options;
    return { holder: `${data.jobId}/${data.trialId}/${workerId}`, limit, leaseMs };
  }

  /** The trial started with its slot: renewed with the heartbeat until {@link leave}. */
  entered(data: TrialJobData): ProjectSlot {
    this.announced.delete(announceKey(data));
    const held = { project: data.project, holder: this.slotFor(data).holder };
    this.held.add(held);
    return held;
  }

  /** The project's slots were full (`held` live ones): say so in the job log, once per trial. */
  async waiting(data: TrialJobData, held: number): Promise<void> {
    const key = announceKey(data);
    if (this.announced.has(key)) return;
    this.announced.set(key, true);
    await this.announce(data, held);
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
