import type { Logger } from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';

/** Least time between two writes of a shard's rows read. */
const REPORT_INTERVAL_MS = 1_000;

/**
 * Writes a running shard's rows read to its trial, at most once a second and
 * one write at a time (the latest count wins); a failed write is logged, not
 * fatal — the final counts are written when the shard ends.
 */
export class ShardProgressReporter {
  private lastWrite = 0;
  private pending: number | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private writing = false;

  constructor(
    private readonly store: StoreAreas<'trials'>,
    private readonly project: string,
    private readonly jobId: string,
    private readonly trialId: string,
    private readonly logger: Logger,
  ) {}

  report(rowsDone: number): void {
    this.pending = rowsDone;
    if (this.writing || Date.now() - this.lastWrite < REPORT_INTERVAL_MS) return;
    this.flush();
  }

  /** Resolves once no write is in flight. */
  async settled(): Promise<void> {
    await this.inFlight;
  }

  private flush(): void {
    const rowsDone = this.pending;
    if (rowsDone === undefined) return;
    this.pending = undefined;
    this.writing = true;
    this.lastWrite = Date.now();
    this.inFlight = this.store.trials
      .reportShard(this.project, this.jobId, this.trialId, { rowsDone })
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn({ err: error }, 'could not record shard progress'),
      )
      .finally(() => {
        this.writing = false;
      });
  }
}
