import type { StoreAreas } from '@stratus/store';
import type { IntermediateValue } from '@stratus/tuner';
import type { EarlyStopper } from './early-stopping.js';
import type { Logger } from '@stratus/spec';
import type { TrialControl } from './trial-execution.js';
import type { TrialSink } from './trial-sink.js';

/** Where a running tuning trial reports its objective, and who may stop it early. */
export interface ProgressTarget {
  readonly store: StoreAreas<'trials'>;
  readonly project: string;
  readonly jobId: string;
  readonly trialId: string;
  /** The objective metric; without one (no tuning) nothing is tracked. */
  readonly metricTag: string | undefined;
  /** The job's stopping rule (median or ASHA), when it has one. */
  readonly stopper: EarlyStopper | undefined;
  readonly control: TrialControl;
  readonly sink: TrialSink;
  readonly logger: Logger;
}

/**
 * Follows a tuning trial's objective: each epoch's value goes into the
 * trial's series in Redis (what other workers' stopping rules compare
 * against), then the stopping rule runs. Updates are applied in order.
 */
export class TrialProgressTracker {
  private chain: Promise<void> = Promise.resolve();
  private readonly intermediate: IntermediateValue[] = [];
  private stopRequested = false;

  constructor(private readonly target: ProgressTarget) {}

  /** The trial reported metric values at `step`. */
  report(step: number, values: Readonly<Record<string, number>>): void {
    const { metricTag, logger } = this.target;
    const value = metricTag === undefined ? undefined : values[metricTag];
    if (value === undefined || !Number.isFinite(value)) return;
    this.intermediate.push({ step, value });
    const snapshot = [...this.intermediate];
    this.chain = this.chain
      .then(() => this.record(step, value, snapshot))
      .catch((error: unknown) =>
        logger.warn({ err: error, step }, 'could not record the trial objective'),
      );
  }

  /** Resolves once every reported value is recorded. */
  settled(): Promise<void> {
    return this.chain;
  }

  private async record(step: number, value: number, series: IntermediateValue[]): Promise<void> {
    const { store, project, jobId, trialId, stopper } = this.target;
    await store.trials.reportProgress(project, jobId, trialId, { step, value });
    if (stopper === undefined || this.stopRequested) return;
    const decision = await stopper.check(series);
    if (!decision.stop) return;
    this.stopRequested = true;
    this.target.sink.log('INFO', `Stopping early after step ${step}: ${decision.reason}`);
    this.target.control.stopEarly(decision.reason);
  }
}
