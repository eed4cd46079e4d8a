/** Read a job's whole log and metric streams from the store, page by page. */
import type { MetricPoint } from '@stratus/spec';
import type { JobStore, LogEntry } from '@stratus/store';

type Page<T> = { entries: (T & { id: string })[]; lastId?: string };

const readAll = async <T>(
  read: (afterId: string | undefined) => Promise<Page<T>>,
): Promise<(T & { id: string })[]> => {
  const all: (T & { id: string })[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await read(afterId);
    all.push(...page.entries);
    if (page.entries.length === 0 || page.lastId === undefined || page.lastId === afterId) break;
    afterId = page.lastId;
  }
  return all;
};

export const allLogs = (store: JobStore, jobId: string): Promise<(LogEntry & { id: string })[]> =>
  readAll((afterId) =>
    store.streams.readLogs('default', jobId, {
      count: 1000,
      ...(afterId === undefined ? {} : { afterId }),
    }),
  );

export const allMetrics = (
  store: JobStore,
  jobId: string,
): Promise<(MetricPoint & { id: string })[]> =>
  readAll((afterId) =>
    store.streams.readMetrics('default', jobId, {
      count: 1000,
      ...(afterId === undefined ? {} : { afterId }),
    }),
  ) as Promise<(MetricPoint & { id: string })[]>;

/** Highest epoch (loss step) each trial has reported. */
export const epochsReached = (metrics: readonly MetricPoint[]): Map<string, number> => {
  const reached = new Map<string, number>();
  for (const point of metrics) {
    if (point.name !== 'loss') continue;
    reached.set(point.trialId, Math.max(reached.get(point.trialId) ?? 0, point.step));
  }
  return reached;
};

/** A seeded PRNG (mulberry32) in [0, 1). */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
