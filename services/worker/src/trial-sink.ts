import type { MetricPoint } from '@stratus/spec';
import type { StoreAreas, LogEntry, LogSeverity } from '@stratus/store';
import type { Logger } from '@stratus/spec';

export interface TrialSinkOptions {
  /** How long entries wait for company before they are written. @defaultValue 100 */
  readonly flushMs: number;
  /** Entries that trigger a write at once. @defaultValue 500 */
  readonly maxBatch: number;
}

export const DEFAULT_SINK_OPTIONS: TrialSinkOptions = Object.freeze({
  flushMs: 100,
  maxBatch: 500,
});

/**
 * A trial's logs and metric points on their way to the job store, batched:
 * each flush is one `appendLogs` and one `appendMetrics` (one round trip
 * each, sent together), so a chatty trainer costs Redis little.
 */
export class TrialSink {
  private logs: LogEntry[] = [];
  private points: MetricPoint[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: StoreAreas<'streams'>,
    private readonly project: string,
    private readonly jobId: string,
    private readonly trialId: string,
    private readonly logger: Logger,
    private readonly options: TrialSinkOptions = DEFAULT_SINK_OPTIONS,
  ) {}

  /** A log line of this trial. */
  log(severity: LogSeverity, message: string, time = new Date().toISOString()): void {
    this.logs.push({ trialId: this.trialId, severity, message, time });
    this.schedule();
  }

  /** Metric values at one step. */
  metrics(step: number, values: Readonly<Record<string, number>>, time: string): void {
    for (const [name, value] of Object.entries(values)) {
      if (Number.isFinite(value))
        this.points.push({ trialId: this.trialId, step, name, value, time });
    }
    this.schedule();
  }

  /** Write everything buffered; resolves once it is in Redis. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const logs = this.logs;
    const points = this.points;
    this.logs = [];
    this.points = [];
    if (logs.length === 0 && points.length === 0) return this.writing;
    this.writing = this.writing.then(() => this.write(logs, points));
    return this.writing;
  }

  private schedule(): void {
    if (this.logs.length + this.points.length >= this.options.maxBatch) {
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => void this.flush(), this.options.flushMs);
    }
  }

  private async write(logs: LogEntry[], points: MetricPoint[]): Promise<void> {
    try {
      await Promise.all([
        logs.length === 0
          ? undefined
          : this.store.streams.appendLogs(this.project, this.jobId, logs),
        points.length === 0
          ? undefined
          : this.store.streams.appendMetrics(this.project, this.jobId, points),
      ]);
    } catch (error) {
      // Losing a batch of log lines must not fail the trial.
      this.logger.warn(
        { err: error, lost: logs.length + points.length },
        'could not write trial logs/metrics',
      );
    }
  }
}
