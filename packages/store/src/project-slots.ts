import type { Redis } from 'ioredis';
import { createKeys } from './keys.js';
import { commandArgs } from './commands/command.js';
import { RENEW_PROJECT_SLOTS } from './commands/project-slots.js';
import { defineScripts } from './scripts.js';

/**
 * Per-project running-trial slots shared by every worker
 * (`STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT`). A slot is taken when a trial
 * starts (`store.trials.start`) and leased: its worker renews it while the
 * trial runs and releases it when the trial ends; a dead worker's slots lapse
 * after one lease.
 */
export interface ProjectSlots {
  /** Extend the leases of `holders`, grouped by project. */
  renew(holders: readonly { project: string; holder: string }[], leaseMs: number): Promise<void>;
  release(project: string, holder: string): Promise<void>;
  /** The project's live holders (for tests and tools). */
  holders(project: string): Promise<string[]>;
}

/** Slots on `redis` under `prefix` (config's `redisPrefix`). */
export const createProjectSlots = (redis: Redis, prefix: string): ProjectSlots => {
  defineScripts(redis);
  const keys = createKeys(prefix);
  const key = (project: string): string => keys.project(project).runningTrials;
  return {
    renew: async (holders, leaseMs) => {
      const byProject = new Map<string, string[]>();
      for (const { project, holder } of holders) {
        byProject.set(project, [...(byProject.get(project) ?? []), holder]);
      }
      await Promise.all(
        [...byProject].map(([project, list]) =>
          redis.stratusRenewProjectSlots(
            commandArgs(RENEW_PROJECT_SLOTS, {
              keys: { slots: key(project) },
              args: { leaseMs },
              moreArgs: list,
            }),
          ),
        ),
      );
    },
    release: async (project, holder) => {
      await redis.zrem(key(project), holder);
    },
    holders: async (project) => {
      const now = Date.now();
      return redis.zrangebyscore(key(project), `(${now}`, '+inf');
    },
  };
};
