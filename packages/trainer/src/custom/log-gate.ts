/** Where a log line came from: the trainer's stdout/stderr, or the runner's own notes. */
export type LogStream = 'stdout' | 'stderr' | 'runner';

export interface LogLine {
  readonly stream: LogStream;
  readonly line: string;
  readonly time: Date;
}

/** Caps on what a trainer's output may cost the worker and whatever stores its logs. */
export interface LogLimits {
  /** Longer lines are cut to this many bytes and marked. @defaultValue 8192 */
  readonly maxLineBytes?: number;
  /** Sustained lines per second passed on. @defaultValue 500 */
  readonly linesPerSecond?: number;
  /** Lines that may pass at once above that rate. @defaultValue 5000 */
  readonly burstLines?: number;
  /** Bytes passed on over the whole run; later lines are counted and dropped. @defaultValue 32 MiB */
  readonly maxTotalBytes?: number;
}

export interface LogSummary {
  readonly delivered: number;
  readonly dropped: number;
  readonly droppedBytes: number;
  readonly truncated: number;
}

export const DEFAULT_LOG_LIMITS: Required<LogLimits> = {
  maxLineBytes: 8192,
  linesPerSecond: 500,
  burstLines: 5000,
  maxTotalBytes: 32 * 1024 * 1024,
};

/**
 * Rate- and volume-limits log lines (a token bucket plus a total byte budget). Dropped lines
 * are counted, and the reader is told with a `runner` note when dropping starts and how many
 * were lost once lines flow again and at the end.
 */
export class LogGate {
  private readonly limits: Required<LogLimits>;
  private tokens: number;
  private last: number;
  private deliveredBytes = 0;
  private readonly counts = { delivered: 0, dropped: 0, droppedBytes: 0, truncated: 0 };
  private droppedSinceNote = 0;
  /** Once the byte budget is spent, everything after is dropped, however small. */
  private full = false;

  constructor(
    limits: LogLimits,
    private readonly deliver: (line: LogLine) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_LOG_LIMITS, ...limits };
    this.tokens = this.limits.burstLines;
    this.last = now();
  }

  /** Passes on or drops one line of `bytes` bytes (its length before any truncation). */
  offer(stream: LogStream, line: string, bytes: number, truncated: boolean): void {
    const time = this.now();
    const { linesPerSecond, burstLines, maxTotalBytes } = this.limits;
    this.tokens = Math.min(burstLines, this.tokens + ((time - this.last) * linesPerSecond) / 1000);
    this.last = time;
    const size = Buffer.byteLength(line);
    const overBudget = !this.full && this.deliveredBytes + size > maxTotalBytes;
    if (overBudget) {
      this.full = true;
      this.note(`log output reached ${maxTotalBytes} bytes; dropping all further lines`);
    }
    if (this.full || this.tokens < 1) {
      if (this.droppedSinceNote === 0 && !this.full) {
        this.note(`log output exceeds ${linesPerSecond} lines/s; dropping lines`);
      }
      this.droppedSinceNote += 1;
      this.counts.dropped += 1;
      this.counts.droppedBytes += bytes;
      return;
    }
    if (this.droppedSinceNote > 0) this.noteDropped();
    this.tokens -= 1;
    this.deliveredBytes += size;
    this.counts.delivered += 1;
    if (truncated) this.counts.truncated += 1;
    const text = truncated ? `${line}… [line truncated: ${bytes} bytes]` : line;
    this.deliver({ stream, line: text, time: new Date(time) });
  }

  /** Reports lines still unaccounted for and returns the totals. */
  finish(): LogSummary {
    if (this.droppedSinceNote > 0) this.noteDropped();
    return { ...this.counts };
  }

  /** A line from the runner itself; never dropped. */
  note(line: string): void {
    this.deliver({ stream: 'runner', line, time: new Date(this.now()) });
  }

  private noteDropped(): void {
    this.note(`dropped ${this.droppedSinceNote} log lines`);
    this.droppedSinceNote = 0;
  }
}
