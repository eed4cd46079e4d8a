import { commandArgs, decodeWords, luaCommand, type CommandArgs } from './command.js';

/**
 * `lua/patch-resource.lua`: replace the stored input of a job, model or
 * version if its `rev` is still the one read (optimistic concurrency), with
 * the index moves and the operation record of the update in the same step.
 * `../patch-resource.ts` calls it.
 */
export const PATCH_RESOURCE = luaCommand('patch-resource', {
  keys: ['resource'],
  args: ['expectedRev', 'input', 'member', 'removeCount', 'addCount', 'operationCount'],
});

/** The patch commands, for registration. */
export const PATCH_COMMANDS = [PATCH_RESOURCE] as const;

/** What patch-resource writes. */
export interface PatchResourceInput {
  readonly resource: string;
  readonly expectedRev: string;
  /** The new `input` JSON. */
  readonly input: string;
  /** The index member (a job's id); '' when no index moves. */
  readonly member: string;
  readonly leaveIndexes: readonly string[];
  readonly joinIndexes: readonly string[];
  /** The finished operation that reports the update: its key, index and field/value pairs. */
  readonly operation?: PatchOperation;
}

/** The finished operation a patch writes, and the operation index it joins. */
export interface PatchOperation {
  readonly key: string;
  /** The project's operation index and the operation's entry in it (`operationEntry`). */
  readonly index: string;
  readonly entry: string;
  readonly fields: readonly string[];
}

/** patch-resource's KEYS and ARGV. */
export const patchResourceArgs = (input: PatchResourceInput): CommandArgs<typeof PATCH_RESOURCE> =>
  commandArgs(PATCH_RESOURCE, {
    keys: { resource: input.resource },
    args: {
      expectedRev: input.expectedRev,
      input: input.input,
      member: input.member,
      removeCount: input.leaveIndexes.length,
      addCount: input.joinIndexes.length,
      operationCount: input.operation === undefined ? 0 : 1,
    },
    moreKeys: [
      ...input.leaveIndexes,
      ...input.joinIndexes,
      ...(input.operation === undefined ? [] : [input.operation.key, input.operation.index]),
    ],
    moreArgs:
      input.operation === undefined ? [] : [input.operation.entry, ...input.operation.fields],
  });

/** Outcome of patch-resource: the new rev, or why nothing changed. */
export type PatchResourceReply =
  | { readonly outcome: 'OK'; readonly rev: string }
  | { readonly outcome: 'NOT_FOUND' }
  | { readonly outcome: 'STALE'; readonly rev: string };

/** A patch-resource reply. */
export const decodePatchResourceReply = (reply: unknown): PatchResourceReply => {
  const { outcome, details } = decodeWords('patch-resource', reply, ['OK', 'NOT_FOUND', 'STALE']);
  if (outcome === 'NOT_FOUND') return { outcome };
  return { outcome, rev: details[0] ?? '' };
};
