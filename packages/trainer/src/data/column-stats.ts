import { FrequencyCounter, RunningMoments } from './running-stats.js';
import { isMissing, toCategory, toNumber } from '@stratus/bundle';

/** How many distinct values a still-numeric column remembers, in case a later value makes it categorical. */
const NUMERIC_DISTINCT_LIMIT = 2000;

/** Outcome of observing one value: fine, or a nested object/array that no feature can hold. */
export type ObserveResult = 'ok' | 'nested';

/**
 * What the statistics pass learns about one feature column. Its type comes
 * from every row of the training file (a type is no statistic of the
 * training split); moments and value counts come from training rows only.
 */
export class ColumnStats {
  /** Every present value so far was a number. */
  numeric = true;
  /** Training rows where the value was missing. */
  trainMissing = 0;
  readonly moments = new RunningMoments();
  readonly categories: FrequencyCounter;
  private numericDistinctFull = false;

  constructor(
    readonly name: string,
    counterCapacity: number,
  ) {
    this.categories = new FrequencyCounter(counterCapacity);
  }

  /** Record one value; `training` says whether its row is in the training split. */
  observe(value: unknown, training: boolean): ObserveResult {
    if (isMissing(value)) {
      if (training) this.trainMissing += 1;
      return 'ok';
    }
    if (this.numeric) {
      const x = toNumber(value);
      if (!Number.isNaN(x)) {
        if (training) this.observeNumber(x, value);
        return 'ok';
      }
      this.numeric = false;
    }
    const key = toCategory(value);
    if (key === undefined) return 'nested';
    if (training) this.categories.add(key);
    return 'ok';
  }

  private observeNumber(x: number, value: unknown): void {
    this.moments.add(x);
    // Keep the first distinct numbers so the vocabulary is right if text turns up later.
    if (this.numericDistinctFull) return;
    this.categories.add(toCategory(value) ?? String(x));
    if (this.categories.size >= NUMERIC_DISTINCT_LIMIT) this.numericDistinctFull = true;
  }
}
