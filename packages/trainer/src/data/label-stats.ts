import { quoteValue, toCategory, toNumber, typeOfValue } from '@stratus/bundle';
import { datasetError, describeRow } from './dataset-error.js';
import { detach } from './text.js';
import { RunningMoments } from './running-stats.js';

export type LabelTask = 'classification' | 'regression';

/** What the statistics pass learns about the label column (present values only; missing ones are dropped before). */
export class LabelStats {
  /** Class counts in training rows (classification). */
  readonly trainClasses = new Map<string, number>();
  /** Class counts in validation rows, to count those whose class training never saw. */
  readonly validationClasses = new Map<string, number>();
  /** Training targets (regression). */
  readonly moments = new RunningMoments();

  constructor(
    readonly name: string,
    readonly task: LabelTask,
    private readonly maxClasses: number,
    private readonly uri: string,
  ) {}

  observe(value: unknown, training: boolean, row: number, line: number): void {
    if (this.task === 'regression') {
      const y = toNumber(value);
      if (Number.isNaN(y)) {
        const got = typeof value === 'string' ? quoteValue(value) : typeOfValue(value);
        throw datasetError(
          this.uri,
          `label column "${this.name}" must be numeric for a regression task: ${describeRow(row, line)} has ${got}`,
        );
      }
      if (training) this.moments.add(y);
      return;
    }
    const key = toCategory(value);
    if (key === undefined) {
      throw datasetError(
        this.uri,
        `label column "${this.name}" holds ${typeOfValue(value)} at ${describeRow(row, line)}; a class must be a string or number`,
      );
    }
    const counts = training ? this.trainClasses : this.validationClasses;
    const count = counts.get(key);
    if (count !== undefined) {
      counts.set(key, count + 1);
      return;
    }
    if (counts.size >= this.maxClasses) {
      throw datasetError(
        this.uri,
        `label column "${this.name}" has more than ${this.maxClasses} distinct values; a classification label needs few classes (is it a regression target?)`,
      );
    }
    counts.set(detach(key), 1);
  }
}
