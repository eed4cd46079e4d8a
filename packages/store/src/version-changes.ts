import {
  StratusError,
  formatVersionName,
  toRpcStatus,
  type Operation,
  type Version,
} from '@stratus/spec';
import type { StoreContext } from './context.js';
import { decodeOperation, encodeOperation } from './model-codec.js';
import { newOperationId } from './model-ids.js';
import { operationEntry } from './operations.js';
import { commandArgs } from './commands/command.js';
import {
  DELETE_VERSION,
  FINISH_VERSION,
  SET_DEFAULT_VERSION,
  TOUCH_VERSION,
  decodeDeleteVersionReply,
  decodeFinishVersionReply,
  decodeSetDefaultVersionReply,
  decodeTouchVersionReply,
} from './commands/model.js';
import { asStrings, execPipeline, fieldArgs } from './redis-util.js';
import { findVersion, getVersion, modelNotFound, versionNotFound } from './versions.js';

/** How loading a version ended, as the predictor that loaded it reports. */
export type VersionOutcome =
  { readonly state: 'READY' } | { readonly state: 'FAILED'; readonly error: StratusError };

/** `ok: false`: the version had already left CREATING (another predictor reported first). */
export type FinishVersionResult =
  { readonly ok: true } | { readonly ok: false; readonly state: string };

/** A version some predictor still has to load and report on. */
export interface PendingVersion {
  readonly project: string;
  readonly model: string;
  readonly version: string;
}

/**
 * Make a READY version the model's default and tell the predictors;
 * VERSION_NOT_READY (400) for a version still CREATING or FAILED.
 */
export const setDefaultVersion = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  versionId: string,
): Promise<Version> => {
  const keys = ctx.keys.project(project);
  const reply = decodeSetDefaultVersionReply(
    await ctx.redis.stratusSetDefaultVersion(
      commandArgs(SET_DEFAULT_VERSION, {
        keys: { model: keys.model(modelId), version: keys.version(modelId, versionId) },
        args: { versionId, channel: ctx.keys.channel('deploy'), project, modelId },
      }),
    ),
  );
  if (reply.outcome === 'MODEL_NOT_FOUND') throw modelNotFound(project, modelId);
  if (reply.outcome === 'VERSION_NOT_FOUND') throw versionNotFound(project, modelId, versionId);
  if (reply.outcome === 'NOT_READY') {
    throw new StratusError('VERSION_NOT_READY', {
      name: formatVersionName(project, modelId, versionId),
      state: reply.state,
    });
  }
  return getVersion(ctx, project, modelId, versionId);
};

/**
 * CREATING → READY or FAILED (with the error's message as errorMessage),
 * completing the create operation. Only the first report counts, and only
 * while `operationId` (@defaultValue the version's current deploy) is the
 * version's deploy: `{ok: false, state: 'REPLACED'}` otherwise.
 */
export const finishVersion = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  versionId: string,
  outcome: VersionOutcome,
  deploy?: string,
): Promise<FinishVersionResult> => {
  const keys = ctx.keys.project(project);
  const versionKey = keys.version(modelId, versionId);
  const operationId = deploy ?? (await ctx.redis.hget(versionKey, 'operation')) ?? '';
  if (operationId === '') throw versionNotFound(project, modelId, versionId);
  const failed = outcome.state === 'FAILED' ? outcome.error : undefined;
  const raw = await ctx.redis.stratusFinishVersion(
    commandArgs(FINISH_VERSION, {
      keys: {
        version: versionKey,
        operation: keys.operation(operationId),
        pending: keys.pendingVersions,
      },
      args: {
        to: outcome.state,
        now: ctx.now().toISOString(),
        pendingMember: `${modelId}/${versionId}`,
        operationId,
        errorMessage: failed?.message ?? '',
        errorJson: failed === undefined ? '' : JSON.stringify(toRpcStatus(failed)),
        channel: ctx.keys.channel('deploy'),
        project,
        modelId,
        versionId,
      },
    }),
  );
  const reply = decodeFinishVersionReply(raw);
  if (reply.outcome === 'NOT_FOUND') throw versionNotFound(project, modelId, versionId);
  return reply.outcome === 'OK' ? { ok: true } : { ok: false, state: reply.state };
};

/**
 * Delete a version and tell the predictors; DEFAULT_VERSION_DELETE (400) for
 * the default while the model has other versions. A create still running
 * ends CANCELLED. Returns the (finished) DELETE_VERSION operation.
 */
export const deleteVersion = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  versionId: string,
): Promise<Operation> => {
  const keys = ctx.keys.project(project);
  const snapshot = await findVersion(ctx, project, modelId, versionId);
  if (snapshot === undefined) throw versionNotFound(project, modelId, versionId);
  const createOperation =
    (await ctx.redis.hget(keys.version(modelId, versionId), 'operation')) ?? '';
  const now = ctx.now();
  const operationId = newOperationId('delete', now, modelId, versionId);
  const fields = encodeOperation(
    'DELETE_VERSION',
    modelId,
    versionId,
    now.toISOString(),
    true,
    snapshot,
  );
  const cancelled = toRpcStatus(
    new StratusError('INVALID_STATE_TRANSITION', {
      kind: 'version',
      name: snapshot.name,
      from: 'CREATING',
      to: 'READY (it was deleted first)',
    }),
  );
  const raw = await ctx.redis.stratusDeleteVersion(
    commandArgs(DELETE_VERSION, {
      keys: {
        model: keys.model(modelId),
        versions: keys.modelVersions(modelId),
        version: keys.version(modelId, versionId),
        operation: keys.operation(operationId),
        pending: keys.pendingVersions,
        createOperation:
          createOperation === '' ? keys.operation(operationId) : keys.operation(createOperation),
        operations: keys.operations,
      },
      args: {
        versionId,
        pendingMember: `${modelId}/${versionId}`,
        now: now.toISOString(),
        channel: ctx.keys.channel('deploy'),
        project,
        modelId,
        createErrorJson: JSON.stringify(cancelled),
        createOperationId: createOperation,
        operationEntry: operationEntry(operationId, now),
      },
      moreArgs: fieldArgs(fields),
    }),
  );
  const reply = decodeDeleteVersionReply(raw);
  if (reply === 'VERSION_NOT_FOUND') throw versionNotFound(project, modelId, versionId);
  if (reply === 'DEFAULT') {
    throw new StratusError('DEFAULT_VERSION_DELETE', { name: snapshot.name });
  }
  const operation = decodeOperation(project, operationId, fields, undefined);
  if (operation === undefined) throw new TypeError('a new operation did not decode');
  return operation;
};

/** Stamp the version's lastUseTime (a no-op once it is deleted); whether it exists. */
export const touchVersion = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  versionId: string,
  time: Date = ctx.now(),
): Promise<boolean> =>
  decodeTouchVersionReply(
    await ctx.redis.stratusTouchVersion(
      commandArgs(TOUCH_VERSION, {
        keys: { version: ctx.keys.project(project).version(modelId, versionId) },
        args: { time: time.toISOString() },
      }),
    ),
  );

/** Every version, in every project, that is still CREATING (what a starting predictor loads). */
export const listPendingVersions = async (ctx: StoreContext): Promise<PendingVersion[]> => {
  const projects = (await ctx.redis.smembers(ctx.keys.modelProjects)).sort();
  if (projects.length === 0) return [];
  const pipeline = ctx.redis.pipeline();
  for (const project of projects) pipeline.smembers(ctx.keys.project(project).pendingVersions);
  const replies = await execPipeline(pipeline);
  return projects.flatMap((project, i) =>
    asStrings(replies[i])
      .sort()
      .flatMap((member) => {
        const [model, version] = member.split('/');
        return model === undefined || version === undefined ? [] : [{ project, model, version }];
      }),
  );
};
