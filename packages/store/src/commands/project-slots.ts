import { luaCommand } from './command.js';

/**
 * The running-trial slot command `lua/renew-project-slots.lua` (a slot is
 * taken by `start-trial.lua`): a ZSET of holders scored by their lease's
 * expiry in ms of Redis's clock. `../project-slots.ts` calls it as
 * `redis.stratusRenewProjectSlots(args)`, the holders to renew as the call's
 * `moreArgs` (its reply, how many still had a slot, is not read).
 */

export const RENEW_PROJECT_SLOTS = luaCommand('renew-project-slots', {
  keys: ['slots'],
  args: ['leaseMs'],
});

/** The project-slot commands, for registration. */
export const PROJECT_SLOT_COMMANDS = [RENEW_PROJECT_SLOTS] as const;
