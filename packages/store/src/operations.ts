import {
  OPERATION_FILTER_FIELDS,
  OPERATION_ID_PATTERN,
  StratusError,
  formatOperationName,
  parseListFilter,
  type Operation,
  type Version,
} from '@stratus/spec';
import type { StoreContext } from './context.js';
import { scanFiltered } from './filtered-scan.js';
import { decodeOperation, decodeVersion } from './model-codec.js';
import { lastSegment, type ListPageRequest } from './model-ids.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { checkPageSize } from './page-size.js';
import { asHash, execPipeline } from './redis-util.js';
import { finishVersion } from './version-changes.js';

export interface ListOperationsResult {
  readonly operations: Operation[];
  readonly nextPageToken?: string;
}

/** The operation index's member for an operation: sorts by creation time, then id. */
export const operationEntry = (operationId: string, createTime: Date): string =>
  `${String(createTime.getTime()).padStart(15, '0')}/${operationId}`;

const isEntry = (entry: string): boolean => {
  const slash = entry.indexOf('/');
  const ms = entry.slice(0, slash);
  return (
    slash === 15 &&
    [...ms].every((c) => c >= '0' && c <= '9') &&
    OPERATION_ID_PATTERN.test(entry.slice(slash + 1))
  );
};

/**
 * Operations by id, in order, missing ones skipped: as they are now for a
 * create (with the version as it is now, unless it was deleted, or deleted
 * and created anew), as they were for a delete. Two round trips whatever the count.
 */
export const readOperations = async (
  ctx: StoreContext,
  project: string,
  operationIds: readonly string[],
): Promise<Operation[]> => {
  if (operationIds.length === 0) return [];
  const keys = ctx.keys.project(project);
  const pipeline = ctx.redis.pipeline();
  for (const operationId of operationIds) pipeline.hgetall(keys.operation(operationId));
  const hashes = (await execPipeline(pipeline)).map(asHash);
  const creates = hashes.flatMap((hash, i) => {
    const { model, version } = hash;
    return hash.type === 'CREATE_VERSION' && model !== undefined && version !== undefined
      ? [{ i, model, version }]
      : [];
  });
  const versionPipeline = ctx.redis.pipeline();
  for (const { model, version } of creates) {
    versionPipeline.hgetall(keys.version(model, version)).hget(keys.model(model), 'defaultVersion');
  }
  const replies = creates.length === 0 ? [] : await execPipeline(versionPipeline);
  const live = new Map<number, Version>();
  creates.forEach(({ i, model, version }, k) => {
    const hash = asHash(replies[2 * k]);
    const defaultVersion = replies[2 * k + 1];
    if (hash.operation !== operationIds[i]) return;
    const decoded = decodeVersion(
      project,
      model,
      version,
      hash,
      typeof defaultVersion === 'string' ? defaultVersion : undefined,
    );
    if (decoded !== undefined) live.set(i, decoded);
  });
  return operationIds.flatMap((operationId, i) => {
    const operation = decodeOperation(project, operationId, hashes[i] ?? {}, live.get(i));
    return operation === undefined ? [] : [operation];
  });
};

/** The operation; OPERATION_NOT_FOUND (404). */
export const getOperation = async (
  ctx: StoreContext,
  project: string,
  operationId: string,
): Promise<Operation> => {
  const [operation] = await readOperations(ctx, project, [operationId]);
  if (operation === undefined) throw operationNotFound(project, operationId);
  return operation;
};

/**
 * One page of the project's operations, newest first, filtered
 * (OPERATION_FILTER_FIELDS); at most `listScanBudget` are examined per page.
 */
export const listOperations = async (
  ctx: StoreContext,
  project: string,
  request: ListPageRequest = {},
): Promise<ListOperationsResult> => {
  const pageSize = checkPageSize(request.pageSize);
  const filter = parseListFilter(request.filter, OPERATION_FILTER_FIELDS);
  const token = request.pageToken ?? '';
  const index = ctx.keys.project(project).operations;
  const page = await scanFiltered<Operation>({
    pageSize,
    budget: Math.max(ctx.limits.listScanBudget, pageSize),
    after: token === '' ? undefined : decodePageToken(token, filter.normalized, isEntry),
    entries: async (after, count) =>
      (
        await ctx.redis.zrevrangebylex(
          index,
          after === undefined ? '+' : `(${after}`,
          '-',
          'LIMIT',
          0,
          count,
        )
      ).map((entry) => ({ id: entry.slice(entry.indexOf('/') + 1), cursor: entry })),
    read: async (ids) =>
      new Map(
        (await readOperations(ctx, project, ids)).map((operation) => [
          lastSegment(operation.name),
          operation,
        ]),
      ),
    matches: (operation) =>
      filter.matches({
        name: lastSegment(operation.name),
        done: operation.done,
        'metadata.operationType': operation.metadata.operationType,
        'metadata.modelName': operation.metadata.modelName,
        'metadata.createTime': operation.metadata.createTime,
      }),
  });
  return page.nextCursor === undefined
    ? { operations: page.records }
    : {
        operations: page.records,
        nextPageToken: encodePageToken(page.nextCursor, filter.normalized),
      };
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
