import type { ResolvedHyperparameterSpec } from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';
import {
  ashaDecision,
  shouldStopTrial,
  type IntermediateValue,
  type MedianStoppingOptions,
} from '@stratus/tuner';

/** A stopping rule's verdict on one running trial. */
export interface EarlyStopVerdict {
  readonly stop: boolean;
  readonly reason: string;
}

const COMPLETED = new Set(['SUCCEEDED', 'STOPPED']);
const FINAL = new Set(['SUCCEEDED', 'STOPPED', 'FAILED', 'CANCELLED']);

/**
 * The job's stopping rule for one running trial, checked after each of its
 * epochs against the job's other trials — whichever worker runs them — whose
 * objective series are read from Redis: the median rule compares with the
 * completed trials, ASHA (`spec.ashaStopping`) with every trial that reached
 * the rung. A finished trial's series never changes, so each is read once.
 */
export class EarlyStopper {
  private readonly series = new Map<string, readonly IntermediateValue[]>();

  constructor(
    private readonly store: StoreAreas<'trials'>,
    private readonly project: string,
    private readonly jobId: string,
    private readonly trialId: string,
    private readonly spec: Pick<ResolvedHyperparameterSpec, 'goal' | 'ashaStopping'>,
    private readonly options: MedianStoppingOptions = {},
  ) {}

  /** Whether the trial whose objective went `intermediate` so far should stop now. */
  async check(intermediate: readonly IntermediateValue[]): Promise<EarlyStopVerdict> {
    const trials = await this.store.trials.list(this.project, this.jobId);
    const asha = this.spec.ashaStopping;
    const compared = trials.filter((t) =>
      asha === undefined ? COMPLETED.has(t.state) : t.trialId !== this.trialId,
    );
    const missing = compared.filter((t) => !FINAL.has(t.state) || !this.series.has(t.trialId));
    const read = await Promise.all(
      missing.map((t) => this.store.trials.readSeries(this.project, this.jobId, t.trialId)),
    );
    missing.forEach((t, i) => this.series.set(t.trialId, read[i] ?? []));
    const others = compared.map((t) => ({ intermediate: this.series.get(t.trialId) ?? [] }));
    if (asha !== undefined) {
      return ashaDecision({ goal: this.spec.goal, options: asha, trial: { intermediate }, others });
    }
    return shouldStopTrial({
      spec: { goal: this.spec.goal },
      goal: this.spec.goal,
      trial: { intermediate },
      completedTrials: others,
      options: this.options,
    });
  }
}
