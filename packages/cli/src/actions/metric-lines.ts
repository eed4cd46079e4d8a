/** A metric value printed compactly: 4 significant decimals, integers as they are. */
export const formatMetric = (value: number): string =>
  Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString();

/** `epoch 3: loss=0.4123 accuracy=0.9167` — one line for one step's metrics. */
export const metricLine = (step: number, values: Readonly<Record<string, number>>): string =>
  `epoch ${step}: ${Object.entries(values)
    .map(([name, value]) => `${name}=${formatMetric(value)}`)
    .join(' ')}`;

/**
 * Metric points arrive one name at a time; this groups a trial's points of
 * one step into one line, emitting it when the trial moves to another step,
 * when the stream goes quiet for `idleMs`, or on `flush()`.
 */
export class MetricGrouper {
  private readonly pending = new Map<
    string,
    { step: number; time: string; values: Record<string, number> }
  >();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly emit: (
      trialId: string,
      step: number,
      values: Record<string, number>,
      time: string,
    ) => void,
    private readonly idleMs = 250,
  ) {}

  /** One point; `time` is when it was reported (the line shows the step's first). */
  add(trialId: string, step: number, name: string, value: number, time: string): void {
    const current = this.pending.get(trialId);
    if (current !== undefined && current.step !== step) this.flushTrial(trialId);
    const entry = this.pending.get(trialId) ?? { step, time, values: {} };
    entry.values[name] = value;
    this.pending.set(trialId, entry);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.idleMs);
    this.timer.unref();
  }

  flush(): void {
    clearTimeout(this.timer);
    for (const trialId of [...this.pending.keys()]) this.flushTrial(trialId);
  }

  private flushTrial(trialId: string): void {
    const entry = this.pending.get(trialId);
    if (entry === undefined) return;
    this.pending.delete(trialId);
    this.emit(trialId, entry.step, entry.values, entry.time);
  }
}
