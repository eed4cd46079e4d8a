import { StratusError, formatOperationName, type Operation, type Version } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { decodeOperation, decodeVersion } from './model-codec.js';
import { asHash, execPipeline } from './redis-util.js';
import { finishVersion } from './version-changes.js';

/**
 * A long-running operation, with the version it concerns: as it is now for a
 * create (unless it was deleted, or deleted and created anew), as it was for
 * a delete. OPERATION_NOT_FOUND (404).
 */
export const getOperation = async (
  ctx: StoreContext,
  project: string,
  operationId: string,
): Promise<Operation> => {
  const keys = ctx.keys.project(project);
  const hash = asHash(await ctx.redis.hgetall(keys.operation(operationId)));
  const { model: modelId, version: versionId } = hash;
  let live: Version | undefined;
  if (hash.type === 'CREATE_VERSION' && modelId !== undefined && versionId !== undefined) {
    const pipeline = ctx.redis.pipeline();
    pipeline.hgetall(keys.version(modelId, versionId)).hget(keys.model(modelId), 'defaultVersion');
    const [reply, defaultVersion] = await execPipeline(pipeline);
    const version = asHash(reply);
    if (version.operation === operationId) {
      live = decodeVersion(
        project,
        modelId,
        versionId,
        version,
        typeof defaultVersion === 'string' ? defaultVersion : undefined,
      );
    }
  }
  const operation = decodeOperation(project, operationId, hash, live);
  if (operation === undefined) throw operationNotFound(project, operationId);
  return operation;
};

const operationNotFound = (project: string, operationId: string): StratusError =>
  new StratusError('OPERATION_NOT_FOUND', { name: formatOperationName(project, operationId) });

/**
 * Cancel an operation: a version create (deploy) not yet done ends, the
 * version FAILED and the operation done with a CANCELLED error (a predictor
 * that finishes loading it later is refused, as for any second report).
 * An operation already done is left as it is (Cloud ML's cancel is a
 * best-effort no-op then). OPERATION_NOT_FOUND (404).
 */
export const cancelOperation = async (
  ctx: StoreContext,
  project: string,
  operationId: string,
): Promise<void> => {
  const hash = asHash(await ctx.redis.hgetall(ctx.keys.project(project).operation(operationId)));
  if (hash.type === undefined) throw operationNotFound(project, operationId);
  const { model: modelId, version: versionId } = hash;
  if (hash.done === '1' || hash.type !== 'CREATE_VERSION') return;
  if (modelId === undefined || versionId === undefined) return;
  const error = new StratusError('OPERATION_CANCELLED', {
    name: formatOperationName(project, operationId),
  });
  try {
    await finishVersion(ctx, project, modelId, versionId, { state: 'FAILED', error }, operationId);
  } catch (raw) {
    // Deleted meanwhile: the delete has already ended the operation.
    if (!(raw instanceof StratusError && raw.reason === 'VERSION_NOT_FOUND')) throw raw;
  }
};
