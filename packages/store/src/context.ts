import type { Redis } from 'ioredis';
import type { Logger } from '@stratus/spec';
import type { Keys } from './keys.js';

/** Sizes and timings, all with defaults (see createJobStore). */
export interface StoreLimits {
  /** Log entries kept per job (XADD MAXLEN ~). @defaultValue 100000 */
  readonly maxLogEntries: number;
  /** Metric points kept per job (XADD MAXLEN ~). @defaultValue 100000 */
  readonly maxMetricPoints: number;
  /** Objective values kept per trial (its allMetrics series). @defaultValue 10000 */
  readonly maxTrialSeries: number;
  /** Index entries one list call may examine before returning a short page. @defaultValue 5000 */
  readonly listScanBudget: number;
  /** How long a follower blocks in XREAD before it re-checks the job. @defaultValue 5000 */
  readonly followBlockMs: number;
}

/** What every store module works with. */
export interface StoreContext {
  readonly redis: Redis;
  readonly keys: Keys;
  readonly limits: StoreLimits;
  readonly logger?: Logger;
  /** The clock used for createTime/startTime/endTime/heartbeats. */
  readonly now: () => Date;
}

/** `projects/{p}/jobs/{j}`, the name errors carry. */
export const jobName = (project: string, jobId: string): string =>
  `projects/${project}/jobs/${jobId}`;
