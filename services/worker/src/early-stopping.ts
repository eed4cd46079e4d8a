import type { ResolvedHyperparameterSpec } from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';
import {
  shouldStopTrial,
  type IntermediateValue,
  type MedianStoppingOptions,
  type StopDecision,
} from '@stratus/tuner';

/**
 * The median stopping rule for one running trial, checked after each of its
 * epochs against the job's completed trials — whichever worker ran them —
 * whose objective series are read from Redis. A completed trial's series
 * never changes, so each is read once.
 */
export class EarlyStopper {
  private readonly series = new Map<string, readonly IntermediateValue[]>();

  constructor(
    private readonly store: StoreAreas<'trials'>,
    private readonly project: string,
    private readonly jobId: string,
    private readonly spec: Pick<ResolvedHyperparameterSpec, 'goal'>,
    private readonly options: MedianStoppingOptions = {},
  ) {}

  /** Whether the trial whose objective went `intermediate` so far should stop now. */
  async check(intermediate: readonly IntermediateValue[]): Promise<StopDecision> {
    const trials = await this.store.trials.list(this.project, this.jobId);
    const completed = trials.filter((t) => t.state === 'SUCCEEDED' || t.state === 'STOPPED');
    const missing = completed.filter((t) => !this.series.has(t.trialId));
    const read = await Promise.all(
      missing.map((t) => this.store.trials.readSeries(this.project, this.jobId, t.trialId)),
    );
    missing.forEach((t, i) => this.series.set(t.trialId, read[i] ?? []));
    return shouldStopTrial({
      spec: { goal: this.spec.goal },
      goal: this.spec.goal,
      trial: { intermediate },
      completedTrials: completed.map((t) => ({ intermediate: this.series.get(t.trialId) ?? [] })),
      options: this.options,
    });
  }
}
