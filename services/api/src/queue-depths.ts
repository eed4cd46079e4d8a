import { QUEUE_KINDS, type QueueDepth } from '@stratus/spec';
import type { TrialQueues } from '@stratus/store';

/** Waiting, active and delayed (retry back-off) trial counts per queue. */
export const queueDepths = (queues: TrialQueues): Promise<QueueDepth[]> =>
  Promise.all(
    QUEUE_KINDS.map(async (kind) => {
      const counts = await queues[kind].getJobCounts('waiting', 'active', 'delayed');
      return {
        kind,
        waiting: counts.waiting ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
      };
    }),
  );
