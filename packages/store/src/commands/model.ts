import type { ChainableCommander, Redis } from 'ioredis';
import { decodeCode, decodeWords, luaCommand, queueCommand, runCommand } from './command.js';
import type { NamedCall } from './command.js';

/**
 * Typed wrappers of the model, version and operation commands
 * (`lua/create-model.lua` … `touch-version.lua`). Every state change is one
 * script that also publishes the deploy event on the channel it is given.
 * All KEYS of a script share the project's hash tag.
 */

const CREATE_MODEL = luaCommand('create-model', { keys: ['model', 'models'], args: ['modelId'] });

const DELETE_MODEL = luaCommand('delete-model', {
  keys: ['model', 'models', 'versions', 'operation'],
  args: ['modelId', 'channel', 'project'],
});

const CREATE_VERSION = luaCommand('create-version', {
  keys: ['model', 'versions', 'version', 'operation', 'pending'],
  args: ['versionId', 'modelId', 'project', 'channel', 'versionFieldCount'],
});

const FINISH_VERSION = luaCommand('finish-version', {
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

const SET_DEFAULT_VERSION = luaCommand('set-default-version', {
  keys: ['model', 'version'],
  args: ['versionId', 'channel', 'project', 'modelId'],
});

const DELETE_VERSION = luaCommand('delete-version', {
  keys: ['model', 'versions', 'version', 'operation', 'pending', 'createOperation'],
  args: [
    'versionId',
    'pendingMember',
    'now',
    'channel',
    'project',
    'modelId',
    'createErrorJson',
    'createOperationId',
  ],
});

const TOUCH_VERSION = luaCommand('touch-version', { keys: ['version'], args: ['time'] });

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

/** Queue a create-model on a pipeline; decode its reply with {@link decodeCreateModelReply}. */
export const queueCreateModelScript = (
  pipeline: ChainableCommander,
  input: NamedCall<typeof CREATE_MODEL> & { readonly fields: readonly string[] },
): ChainableCommander => queueCommand(pipeline, CREATE_MODEL, { ...input, moreArgs: input.fields });

/** A create-model reply from a pipeline: CREATED, or EXISTS when the name is taken. */
export const decodeCreateModelReply = (reply: unknown): 'CREATED' | 'EXISTS' =>
  decodeCode('create-model', reply, { 1: 'CREATED', 0: 'EXISTS' });

/** Outcome of {@link deleteModelScript}. */
export type DeleteModelReply =
  | { readonly outcome: 'DELETED' }
  | { readonly outcome: 'MODEL_NOT_FOUND' }
  | { readonly outcome: 'HAS_VERSIONS'; readonly versions: number };

/** Delete a model that has no versions, storing its (finished) operation's fields. */
export const deleteModelScript = async (
  redis: Redis,
  input: NamedCall<typeof DELETE_MODEL> & { readonly operationFields: readonly string[] },
): Promise<DeleteModelReply> => {
  const reply = Number(
    await runCommand(redis, DELETE_MODEL, { ...input, moreArgs: input.operationFields }),
  );
  if (reply < 0) return { outcome: 'MODEL_NOT_FOUND' };
  if (reply > 0) return { outcome: 'HAS_VERSIONS', versions: reply };
  return { outcome: 'DELETED' };
};

/** Outcome of {@link createVersionScript}; OPERATION_EXISTS: pick another operation id. */
export type CreateVersionReply =
  | { readonly outcome: 'OK'; readonly isDefault: boolean }
  | { readonly outcome: 'MODEL_NOT_FOUND' }
  | { readonly outcome: 'VERSION_EXISTS' }
  | { readonly outcome: 'OPERATION_EXISTS' };

/** Add a CREATING version and its operation; the model's first version becomes its default. */
export const createVersionScript = async (
  redis: Redis,
  input: Omit<NamedCall<typeof CREATE_VERSION>, 'args'> & {
    readonly args: Omit<NamedCall<typeof CREATE_VERSION>['args'], 'versionFieldCount'>;
    readonly versionFields: readonly string[];
    readonly operationFields: readonly string[];
  },
): Promise<CreateVersionReply> => {
  const reply = await runCommand(redis, CREATE_VERSION, {
    keys: input.keys,
    args: { ...input.args, versionFieldCount: input.versionFields.length },
    moreArgs: [...input.versionFields, ...input.operationFields],
  });
  const { outcome, details } = decodeWords('create-version', reply, [
    'OK',
    'MODEL_NOT_FOUND',
    'VERSION_EXISTS',
    'OPERATION_EXISTS',
  ]);
  return outcome === 'OK' ? { outcome, isDefault: details[0] === '1' } : { outcome };
};

/** Outcome of {@link finishVersionScript}: CONFLICT when the version already left CREATING. */
export type FinishVersionReply =
  | { readonly outcome: 'OK' }
  | { readonly outcome: 'NOT_FOUND' }
  | { readonly outcome: 'CONFLICT'; readonly state: string };

/** CREATING → READY | FAILED once, completing the create operation. */
export const finishVersionScript = async (
  redis: Redis,
  input: NamedCall<typeof FINISH_VERSION>,
): Promise<FinishVersionReply> => {
  const reply = await runCommand(redis, FINISH_VERSION, input);
  const { outcome, details } = decodeWords('finish-version', reply, [
    'OK',
    'NOT_FOUND',
    'CONFLICT',
  ]);
  return outcome === 'CONFLICT' ? { outcome, state: details[0] ?? '' } : { outcome };
};

/** Outcome of {@link setDefaultVersionScript}. */
export type SetDefaultVersionReply =
  | { readonly outcome: 'OK' }
  | { readonly outcome: 'MODEL_NOT_FOUND' }
  | { readonly outcome: 'VERSION_NOT_FOUND' }
  | { readonly outcome: 'NOT_READY'; readonly state: string };

/** Make a READY version the model's default. */
export const setDefaultVersionScript = async (
  redis: Redis,
  input: NamedCall<typeof SET_DEFAULT_VERSION>,
): Promise<SetDefaultVersionReply> => {
  const reply = await runCommand(redis, SET_DEFAULT_VERSION, input);
  const { outcome, details } = decodeWords('set-default-version', reply, [
    'OK',
    'MODEL_NOT_FOUND',
    'VERSION_NOT_FOUND',
    'NOT_READY',
  ]);
  return outcome === 'NOT_READY' ? { outcome, state: details[0] ?? '' } : { outcome };
};

/** Delete a version (not the default while others exist), storing the delete operation's fields. */
export const deleteVersionScript = async (
  redis: Redis,
  input: NamedCall<typeof DELETE_VERSION> & { readonly operationFields: readonly string[] },
): Promise<'OK' | 'VERSION_NOT_FOUND' | 'DEFAULT'> => {
  const reply = await runCommand(redis, DELETE_VERSION, {
    ...input,
    moreArgs: input.operationFields,
  });
  return decodeWords('delete-version', reply, ['OK', 'VERSION_NOT_FOUND', 'DEFAULT']).outcome;
};

/** Stamp lastUseTime on a version; whether it exists. */
export const touchVersionScript = async (
  redis: Redis,
  input: NamedCall<typeof TOUCH_VERSION>,
): Promise<boolean> => Number(await runCommand(redis, TOUCH_VERSION, input)) === 1;
