import { commandArgs, decodeCode, decodeWords, luaCommand } from './command.js';
import type { CommandArgs, NamedCall } from './command.js';

/**
 * The model, version and operation commands (`lua/create-model.lua` …
 * `touch-version.lua`): each one's declaration, the encoder of its arguments
 * where they are more than its named KEYS and ARGV, and the decoder of its
 * reply. Every state change is one script that also publishes the deploy
 * event on the channel it is given; all KEYS of a script share the project's
 * hash tag. The store functions in `../models.ts`, `../versions.ts` and
 * `../version-changes.ts` call them as `redis.stratusCreateVersion(args)`.
 */

export const CREATE_MODEL = luaCommand('create-model', {
  keys: ['model', 'models'],
  args: ['modelId'],
});

export const DELETE_MODEL = luaCommand('delete-model', {
  keys: ['model', 'models', 'versions', 'operation', 'operations'],
  args: ['modelId', 'channel', 'project', 'operationEntry'],
});

export const CREATE_VERSION = luaCommand('create-version', {
  keys: ['model', 'versions', 'version', 'operation', 'pending', 'operations'],
  args: ['versionId', 'modelId', 'project', 'channel', 'versionFieldCount', 'operationEntry'],
});

export const FINISH_VERSION = luaCommand('finish-version', {
  keys: ['version', 'operation', 'pending'],
  args: [
    'to',
    'now',
    'pendingMember',
    'operationId',
    'errorMessage',
    'errorJson',
    'channel',
    'project',
    'modelId',
    'versionId',
  ],
});

export const SET_DEFAULT_VERSION = luaCommand('set-default-version', {
  keys: ['model', 'version'],
  args: ['versionId', 'channel', 'project', 'modelId'],
});

export const DELETE_VERSION = luaCommand('delete-version', {
  keys: ['model', 'versions', 'version', 'operation', 'pending', 'createOperation', 'operations'],
  args: [
    'versionId',
    'pendingMember',
    'now',
    'channel',
    'project',
    'modelId',
    'createErrorJson',
    'createOperationId',
    'operationEntry',
  ],
});

export const TOUCH_VERSION = luaCommand('touch-version', { keys: ['version'], args: ['time'] });

/** The model commands, for registration. */
export const MODEL_COMMANDS = [
  CREATE_MODEL,
  DELETE_MODEL,
  CREATE_VERSION,
  FINISH_VERSION,
  SET_DEFAULT_VERSION,
  DELETE_VERSION,
  TOUCH_VERSION,
] as const;

/** A create-model reply (the model's hash is the call's `moreArgs`): CREATED, or EXISTS when the name is taken. */
export const decodeCreateModelReply = (reply: unknown): 'CREATED' | 'EXISTS' =>
  decodeCode('create-model', reply, { 1: 'CREATED', 0: 'EXISTS' });

/** Outcome of delete-model (the finished operation's hash is the call's `moreArgs`). */
export type DeleteModelReply =
  | { readonly outcome: 'DELETED' }
  | { readonly outcome: 'MODEL_NOT_FOUND' }
  | { readonly outcome: 'HAS_VERSIONS'; readonly versions: number };

/** A delete-model reply: 0, -1 when the model is missing, else how many versions it has. */
export const decodeDeleteModelReply = (raw: unknown): DeleteModelReply => {
  const reply = Number(raw);
  if (reply < 0) return { outcome: 'MODEL_NOT_FOUND' };
  if (reply > 0) return { outcome: 'HAS_VERSIONS', versions: reply };
  return { outcome: 'DELETED' };
};

/** Add a CREATING version and its operation; the model's first version becomes its default. */
export const createVersionArgs = (
  input: Omit<NamedCall<typeof CREATE_VERSION>, 'args'> & {
    readonly args: Omit<NamedCall<typeof CREATE_VERSION>['args'], 'versionFieldCount'>;
    readonly versionFields: readonly string[];
    readonly operationFields: readonly string[];
  },
): CommandArgs<typeof CREATE_VERSION> =>
  commandArgs(CREATE_VERSION, {
    keys: input.keys,
    args: { ...input.args, versionFieldCount: input.versionFields.length },
    moreArgs: [...input.versionFields, ...input.operationFields],
  });

/** Outcome of create-version; OPERATION_EXISTS: pick another operation id. */
export type CreateVersionReply =
  | { readonly outcome: 'OK'; readonly isDefault: boolean }
  | { readonly outcome: 'MODEL_NOT_FOUND' }
  | { readonly outcome: 'VERSION_EXISTS' }
  | { readonly outcome: 'OPERATION_EXISTS' };

/** A create-version reply: `{outcome, isDefault}`. */
export const decodeCreateVersionReply = (reply: unknown): CreateVersionReply => {
  const { outcome, details } = decodeWords('create-version', reply, [
    'OK',
    'MODEL_NOT_FOUND',
    'VERSION_EXISTS',
    'OPERATION_EXISTS',
  ]);
  return outcome === 'OK' ? { outcome, isDefault: details[0] === '1' } : { outcome };
};

/** Outcome of finish-version (CREATING → READY | FAILED once, completing the create operation). */
export type FinishVersionReply =
  | { readonly outcome: 'OK' }
  | { readonly outcome: 'NOT_FOUND' }
  | { readonly outcome: 'CONFLICT'; readonly state: string };

/** A finish-version reply: CONFLICT when the version already left CREATING. */
export const decodeFinishVersionReply = (reply: unknown): FinishVersionReply => {
  const { outcome, details } = decodeWords('finish-version', reply, [
    'OK',
    'NOT_FOUND',
    'CONFLICT',
  ]);
  return outcome === 'CONFLICT' ? { outcome, state: details[0] ?? '' } : { outcome };
};

/** Outcome of set-default-version (a READY version becomes the model's default). */
export type SetDefaultVersionReply =
  | { readonly outcome: 'OK' }
  | { readonly outcome: 'MODEL_NOT_FOUND' }
  | { readonly outcome: 'VERSION_NOT_FOUND' }
  | { readonly outcome: 'NOT_READY'; readonly state: string };

/** A set-default-version reply. */
export const decodeSetDefaultVersionReply = (reply: unknown): SetDefaultVersionReply => {
  const { outcome, details } = decodeWords('set-default-version', reply, [
    'OK',
    'MODEL_NOT_FOUND',
    'VERSION_NOT_FOUND',
    'NOT_READY',
  ]);
  return outcome === 'NOT_READY' ? { outcome, state: details[0] ?? '' } : { outcome };
};

/**
 * A delete-version reply (the delete operation's hash is the call's
 * `moreArgs`); DEFAULT: the default version while the model has others.
 */
export const decodeDeleteVersionReply = (reply: unknown): 'OK' | 'VERSION_NOT_FOUND' | 'DEFAULT' =>
  decodeWords('delete-version', reply, ['OK', 'VERSION_NOT_FOUND', 'DEFAULT']).outcome;

/** A touch-version reply (it stamps lastUseTime): whether the version exists. */
export const decodeTouchVersionReply = (reply: unknown): boolean => Number(reply) === 1;
