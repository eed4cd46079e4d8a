/**
 * A steady trickle of timestamped writes to one key, each remembered once
 * Redis acknowledged it: after a crash, which of them the AOF kept says how
 * much was lost, and cutting the AOF after one of them plays a bigger loss.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** One acknowledged write: the value set and when the reply came. */
export interface AckedWrite {
  readonly value: string;
  readonly ackedAt: number;
}

export interface WriteProbe {
  readonly key: string;
  /** The writes acknowledged so far, oldest first. */
  readonly acked: readonly AckedWrite[];
  /** Stop writing (a write in flight is dropped) and close the connection. */
  stop(): Promise<void>;
}

/** `SET key probe-<n>-<time>` every `everyMs` until stopped; a failed write ends the probe. */
export const startWriteProbe = (url: string, key: string, everyMs = 10): WriteProbe => {
  // No reconnects and no offline queue: once Redis is gone, nothing more is acknowledged.
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  const acked: AckedWrite[] = [];
  let running = true;
  const loop = (async () => {
    if (
      !(await redis.connect().then(
        () => true,
        () => false,
      ))
    )
      return;
    for (let n = 0; running; n += 1) {
      const value = `probe-${n}-${Date.now()}`;
      try {
        await redis.set(key, value);
      } catch {
        return;
      }
      acked.push({ value, ackedAt: Date.now() });
      await sleep(everyMs);
    }
  })();
  return {
    key,
    acked,
    stop: async () => {
      running = false;
      redis.disconnect();
      await loop;
    },
  };
};
