import {
  applyUpdateMask,
  checkVersionScaling,
  formatModelName,
  formatVersionName,
  violationsError,
  type Operation,
  type PatchRequest,
} from '@stratus/spec';
import type { StoreContext } from './context.js';
import {
  decodeModel,
  decodeOperation,
  decodeVersion,
  encodeOperation,
  type StoredModelInput,
  type StoredVersionInput,
} from './model-codec.js';
import { newOperationId } from './model-ids.js';
import { operationEntry } from './operations.js';
import type { PatchOperation } from './commands/patch.js';
import type { ProjectKeys } from './keys.js';
import { patchStoredInput } from './patch-resource.js';
import { fieldArgs } from './redis-util.js';
import { compact } from './compact.js';
import { modelNotFound, versionNotFound } from './versions.js';

/** The patched input, without labels once none are left. */
const patched = <T extends { readonly labels?: Readonly<Record<string, string>> }>(
  input: T,
  request: PatchRequest,
): T => {
  const next = applyUpdateMask(input, request.values, request.paths);
  return compact(
    Object.keys(next.labels ?? {}).length === 0 ? { ...next, labels: undefined } : next,
  );
};

/** The rev the patch script writes after `rev`. */
const nextRev = (rev: string | undefined): string => String(Number(rev ?? '0') + 1);

/** The finished update operation a patch writes, with its operation index entry. */
const updateOperation = (
  keys: ProjectKeys,
  operationId: string,
  now: Date,
  fields: Record<string, string>,
): PatchOperation => ({
  key: keys.operation(operationId),
  index: keys.operations,
  entry: operationEntry(operationId, now),
  fields: fieldArgs(fields),
});

/**
 * Update a model's description and labels; returns the finished
 * UPDATE_MODEL operation (as Cloud ML's models.patch does), whose response is
 * the model as updated. MODEL_NOT_FOUND, ETAG_MISMATCH (409).
 */
export const patchModel = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  request: PatchRequest,
): Promise<Operation> => {
  const keys = ctx.keys.project(project);
  const now = ctx.now();
  const operationId = newOperationId('update', now, modelId);
  let fields: Record<string, string> = {};
  await patchStoredInput(ctx, {
    kind: 'model',
    name: formatModelName(project, modelId),
    key: keys.model(modelId),
    ...(request.etag === undefined ? {} : { etag: request.etag }),
    notFound: () => modelNotFound(project, modelId),
    plan: (hash) => {
      const input = JSON.stringify(
        patched(JSON.parse(hash.input ?? '{}') as StoredModelInput, request),
      );
      const model = decodeModel(
        project,
        modelId,
        { ...hash, input, rev: nextRev(hash.rev) },
        undefined,
      );
      fields = encodeOperation(
        'UPDATE_MODEL',
        modelId,
        undefined,
        now.toISOString(),
        true,
        undefined,
        model,
      );
      return { input, operation: updateOperation(keys, operationId, now, fields) };
    },
  });
  const operation = decodeOperation(project, operationId, fields, undefined);
  if (operation === undefined) throw new TypeError('a new operation did not decode');
  return operation;
};

/**
 * Update a version's description, labels and replica counts (scaling stays
 * one of autoScaling and manualScaling); returns the finished UPDATE_VERSION
 * operation, whose response is the version as updated. MODEL_NOT_FOUND,
 * VERSION_NOT_FOUND, INVALID_VERSION_SPEC, ETAG_MISMATCH (409).
 */
export const patchVersion = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  versionId: string,
  request: PatchRequest,
): Promise<Operation> => {
  const keys = ctx.keys.project(project);
  const [createTime, defaultVersion] = await ctx.redis.hmget(
    keys.model(modelId),
    'createTime',
    'defaultVersion',
  );
  if (createTime === null || createTime === undefined) throw modelNotFound(project, modelId);
  const now = ctx.now();
  const operationId = newOperationId('update', now, modelId, versionId);
  let fields: Record<string, string> = {};
  await patchStoredInput(ctx, {
    kind: 'version',
    name: formatVersionName(project, modelId, versionId),
    key: keys.version(modelId, versionId),
    ...(request.etag === undefined ? {} : { etag: request.etag }),
    notFound: () => versionNotFound(project, modelId, versionId),
    plan: (hash) => {
      const next = patched(JSON.parse(hash.input ?? '{}') as StoredVersionInput, request);
      const violations = checkVersionScaling(next);
      if (violations.length > 0) throw violationsError('INVALID_VERSION_SPEC', violations);
      const input = JSON.stringify(next);
      const version = decodeVersion(
        project,
        modelId,
        versionId,
        { ...hash, input, rev: nextRev(hash.rev) },
        defaultVersion ?? undefined,
      );
      fields = encodeOperation(
        'UPDATE_VERSION',
        modelId,
        versionId,
        now.toISOString(),
        true,
        version,
      );
      return { input, operation: updateOperation(keys, operationId, now, fields) };
    },
  });
  const operation = decodeOperation(project, operationId, fields, undefined);
  if (operation === undefined) throw new TypeError('a new operation did not decode');
  return operation;
};
