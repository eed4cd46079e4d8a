import { compareText, detach } from './text.js';

/** Mean and variance in one pass (Welford), stable for a million rows of large values. */
export class RunningMoments {
  count = 0;
  mean = 0;
  private m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(x: number): void {
    this.count += 1;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Population standard deviation; 0 for fewer than two values. */
  get std(): number {
    return this.count < 2 ? 0 : Math.sqrt(this.m2 / this.count);
  }
}

/**
 * Counts of string values in bounded memory. Past `capacity` distinct keys it
 * forgets the rarest (lossy counting), so a column of unique IDs costs at most
 * `capacity` entries while the frequent values keep their counts.
 */
export class FrequencyCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.counts.size;
  }

  add(key: string, by = 1): void {
    const current = this.counts.get(key);
    if (current !== undefined) {
      this.counts.set(key, current + by);
      return;
    }
    this.counts.set(detach(key), by);
    if (this.counts.size > this.capacity) this.prune();
  }

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Keys by descending count, ties in code-unit order, so the result is deterministic. */
  top(limit: number): string[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]))
      .slice(0, limit)
      .map(([key]) => key);
  }

  keys(): IterableIterator<string> {
    return this.counts.keys();
  }

  entries(): IterableIterator<[string, number]> {
    return this.counts.entries();
  }

  private prune(): void {
    const sorted = [...this.counts.values()].sort((a, b) => a - b);
    const threshold = sorted[Math.floor(sorted.length / 2)] ?? 0;
    for (const [key, count] of this.counts) {
      if (count <= threshold) this.counts.delete(key);
    }
  }
}
