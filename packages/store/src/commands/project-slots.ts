import type { Redis } from 'ioredis';
import { luaCommand, runCommand, type NamedCall } from './command.js';

/**
 * Typed wrapper of `lua/renew-project-slots.lua` (a slot is taken by
 * `start-trial.lua`): a ZSET of holders scored by their lease's expiry in ms
 * of Redis's clock.
 */

const RENEW_PROJECT_SLOTS = luaCommand('renew-project-slots', {
  keys: ['slots'],
  args: ['leaseMs'],
});

/** The project-slot commands, for registration. */
export const PROJECT_SLOT_COMMANDS = [RENEW_PROJECT_SLOTS] as const;

/** Extend the leases of `holders` that still have a slot; how many were renewed. */
export const renewProjectSlotsScript = async (
  redis: Redis,
  input: NamedCall<typeof RENEW_PROJECT_SLOTS> & { readonly holders: readonly string[] },
): Promise<number> =>
  Number(await runCommand(redis, RENEW_PROJECT_SLOTS, { ...input, moreArgs: input.holders }));
