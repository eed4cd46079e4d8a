import type { TrialControl } from './trial-execution.js';

/** A trial this worker holds (claiming or running). */
export interface RunningTrial {
  readonly project: string;
  readonly jobId: string;
  readonly trialId: string;
  readonly control: TrialControl;
}

/** The trials this worker holds, by job, so a cancel finds them at once. */
export class RunningTrials {
  private readonly byJob = new Map<string, Set<RunningTrial>>();

  add(trial: RunningTrial): void {
    const key = `${trial.project}/${trial.jobId}`;
    const set = this.byJob.get(key) ?? new Set<RunningTrial>();
    set.add(trial);
    this.byJob.set(key, set);
  }

  delete(trial: RunningTrial): void {
    const key = `${trial.project}/${trial.jobId}`;
    const set = this.byJob.get(key);
    set?.delete(trial);
    if (set?.size === 0) this.byJob.delete(key);
  }

  /** The trials of one job held here. */
  ofJob(project: string, jobId: string): RunningTrial[] {
    return [...(this.byJob.get(`${project}/${jobId}`) ?? [])];
  }

  /** Every trial held here. */
  all(): RunningTrial[] {
    return [...this.byJob.values()].flatMap((set) => [...set]);
  }

  get size(): number {
    let count = 0;
    for (const set of this.byJob.values()) count += set.size;
    return count;
  }
}
