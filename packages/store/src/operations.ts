import { StratusError, formatOperationName, type Operation, type Version } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { decodeOperation, decodeVersion } from './model-codec.js';
import { asHash, execPipeline } from './redis-util.js';

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
  if (operation === undefined) {
    throw new StratusError('OPERATION_NOT_FOUND', {
      name: formatOperationName(project, operationId),
    });
  }
  return operation;
};
