import { isTerminalState } from '@stratus/spec';
import type { StoreAreas, Subscription } from '@stratus/store';
import { runControllerStep, type ControllerDeps } from '@stratus/lifecycle';
import type { Logger } from '@stratus/spec';
import type { RunningTrials } from './running-trials.js';

/**
 * Stops this worker's trials of a job that is being cancelled (or that ended,
 * e.g. a tuning job failed by maxFailedTrials). The cancel event is the fast
 * path (SIGTERM within milliseconds); `sweep`, run with each heartbeat, is the
 * safety net for an event missed while the subscription reconnected.
 */
export class CancelWatch {
  private subscription: Subscription | undefined;

  constructor(
    private readonly store: StoreAreas<'events' | 'jobs'>,
    private readonly registry: RunningTrials,
    private readonly controller: ControllerDeps,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.subscription = await this.store.events.subscribeCancel(({ project, jobId }) =>
      this.cancel(project, jobId),
    );
  }

  /** Abort the job's trials here; with none here, settle the job if nobody else does. */
  async cancel(project: string, jobId: string): Promise<void> {
    const trials = this.registry.ofJob(project, jobId);
    for (const trial of trials) trial.control.abort('cancel', this.graceMs);
    if (trials.length > 0) {
      this.logger.info({ project, jobId, trials: trials.length }, 'stopping cancelled trials');
      return;
    }
    // The trials' own workers settle the job after recording them; this
    // covers a job whose trials were all still queued.
    await runControllerStep(this.controller, project, jobId, { wait: false });
  }

  /** Re-check the jobs of running trials; abort those whose job is cancelling or over. */
  async sweep(): Promise<void> {
    const jobs = new Map<string, { project: string; jobId: string }>();
    for (const trial of this.registry.all()) {
      jobs.set(`${trial.project}/${trial.jobId}`, { project: trial.project, jobId: trial.jobId });
    }
    for (const { project, jobId } of jobs.values()) {
      const job = await this.store.jobs.find(project, jobId);
      if (job === undefined || job.state === 'CANCELLING' || isTerminalState(job.state)) {
        await this.cancel(project, jobId);
      }
    }
  }

  async close(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }
}
