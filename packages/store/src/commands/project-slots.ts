import type { Redis } from 'ioredis';
import { luaCommand, runCommand, type NamedCall } from './command.js';

/**
 * Typed wrappers of the running-trial slot commands
 * (`lua/acquire-project-slot.lua`, `renew-project-slots.lua`): a ZSET of
 * holders scored by their lease's expiry in ms of Redis's clock.
 */

const ACQUIRE_PROJECT_SLOT = luaCommand('acquire-project-slot', {
  keys: ['slots'],
  args: ['holder', 'limit', 'leaseMs'],
});

const RENEW_PROJECT_SLOTS = luaCommand('renew-project-slots', {
  keys: ['slots'],
  args: ['leaseMs'],
});

/** The project-slot commands, for registration. */
export const PROJECT_SLOT_COMMANDS = [ACQUIRE_PROJECT_SLOT, RENEW_PROJECT_SLOTS] as const;

/** Outcome of {@link acquireProjectSlotScript}: `held` is how many live slots the project has. */
export type AcquireSlotReply =
  { readonly ok: true } | { readonly ok: false; readonly held: number };

/** Take a slot unless `limit` live ones are held; a holder that has one keeps it. */
export const acquireProjectSlotScript = async (
  redis: Redis,
  input: NamedCall<typeof ACQUIRE_PROJECT_SLOT>,
): Promise<AcquireSlotReply> => {
  const reply = await runCommand(redis, ACQUIRE_PROJECT_SLOT, input);
  const [outcome, held] = Array.isArray(reply) ? (reply as unknown[]) : [];
  if (outcome === 'OK') return { ok: true };
  if (outcome === 'FULL') return { ok: false, held: Number(held) };
  throw new TypeError(`acquire-project-slot script replied ${String(reply)}`);
};

/** Extend the leases of `holders` that still have a slot; how many were renewed. */
export const renewProjectSlotsScript = async (
  redis: Redis,
  input: NamedCall<typeof RENEW_PROJECT_SLOTS> & { readonly holders: readonly string[] },
): Promise<number> =>
  Number(await runCommand(redis, RENEW_PROJECT_SLOTS, { ...input, moreArgs: input.holders }));
