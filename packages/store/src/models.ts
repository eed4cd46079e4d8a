import {
  MODEL_FILTER_FIELDS,
  StratusError,
  formatModelName,
  type Model,
  type ModelInput,
  type Operation,
} from '@stratus/spec';
import type { StoreContext } from './context.js';
import {
  decodeModel,
  decodeOperation,
  decodeVersion,
  encodeModel,
  encodeOperation,
} from './model-codec.js';
import { lastSegment, listByName, newOperationId, type ListPageRequest } from './model-ids.js';
import { operationEntry } from './operations.js';
import { asHash, execPipeline, fieldArgs } from './redis-util.js';
import { commandArgs } from './commands/command.js';
import {
  CREATE_MODEL,
  DELETE_MODEL,
  decodeCreateModelReply,
  decodeDeleteModelReply,
} from './commands/model.js';

export interface ListModelsResult {
  readonly models: Model[];
  readonly nextPageToken?: string;
}

const notFound = (project: string, modelId: string): StratusError =>
  new StratusError('MODEL_NOT_FOUND', { name: formatModelName(project, modelId) });

/** Store a new model; MODEL_ALREADY_EXISTS (409) if its name is taken in the project. */
export const createModel = async (
  ctx: StoreContext,
  project: string,
  input: ModelInput,
): Promise<Model> => {
  const keys = ctx.keys.project(project);
  const fields = encodeModel(input, ctx.now().toISOString());
  const pipeline = ctx.redis.pipeline();
  pipeline.stratusCreateModel(
    commandArgs(CREATE_MODEL, {
      keys: { model: keys.model(input.name), models: keys.models },
      args: { modelId: input.name },
      moreArgs: fieldArgs(fields),
    }),
  );
  pipeline.sadd(ctx.keys.modelProjects, project);
  const [created] = await execPipeline(pipeline);
  if (decodeCreateModelReply(created) !== 'CREATED') {
    throw new StratusError('MODEL_ALREADY_EXISTS', { name: formatModelName(project, input.name) });
  }
  const model = decodeModel(project, input.name, { ...fields, rev: '1' }, undefined);
  if (model === undefined) throw new TypeError('a new model did not decode');
  return model;
};

/**
 * Models by id, in order, each with its default version embedded; missing
 * ones skipped. Two round trips whatever the count.
 */
export const readModels = async (
  ctx: StoreContext,
  project: string,
  modelIds: readonly string[],
): Promise<Model[]> => {
  if (modelIds.length === 0) return [];
  const keys = ctx.keys.project(project);
  const pipeline = ctx.redis.pipeline();
  for (const modelId of modelIds) pipeline.hgetall(keys.model(modelId));
  const hashes = (await execPipeline(pipeline)).map(asHash);
  const defaults = modelIds.map((_, i) => hashes[i]?.defaultVersion);
  const versionPipeline = ctx.redis.pipeline();
  modelIds.forEach((modelId, i) => {
    const versionId = defaults[i];
    if (versionId !== undefined) versionPipeline.hgetall(keys.version(modelId, versionId));
  });
  const versionHashes = (await execPipeline(versionPipeline)).map(asHash);
  let next = 0;
  return modelIds.flatMap((modelId, i) => {
    const versionId = defaults[i];
    const version =
      versionId === undefined
        ? undefined
        : decodeVersion(project, modelId, versionId, versionHashes[next++] ?? {}, versionId);
    const model = decodeModel(project, modelId, hashes[i] ?? {}, version);
    return model === undefined ? [] : [model];
  });
};

/** The model, or undefined. */
export const findModel = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
): Promise<Model | undefined> => (await readModels(ctx, project, [modelId]))[0];

/** The model; MODEL_NOT_FOUND (404) when the project has none of that name. */
export const getModel = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
): Promise<Model> => {
  const model = await findModel(ctx, project, modelId);
  if (model === undefined) throw notFound(project, modelId);
  return model;
};

/** One page of the project's models in name order, filtered (MODEL_FILTER_FIELDS). */
export const listModels = async (
  ctx: StoreContext,
  project: string,
  request: ListPageRequest = {},
): Promise<ListModelsResult> => {
  const page = await listByName<Model>(
    ctx,
    {
      index: ctx.keys.project(project).models,
      fields: MODEL_FILTER_FIELDS,
      read: (ids) => readModels(ctx, project, ids),
      idOf: (model) => lastSegment(model.name),
      filterRecord: (model) => ({
        name: lastSegment(model.name),
        description: model.description,
        createTime: model.createTime,
        labels: model.labels ?? {},
      }),
    },
    request,
  );
  return page.nextPageToken === undefined
    ? { models: page.records }
    : { models: page.records, nextPageToken: page.nextPageToken };
};

/**
 * Delete a model; MODEL_HAS_VERSIONS (400) while it has versions, as Cloud ML
 * refuses. Returns the (already finished) DELETE_MODEL operation.
 */
export const deleteModel = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
): Promise<Operation> => {
  const keys = ctx.keys.project(project);
  const now = ctx.now();
  const operationId = newOperationId('delete', now, modelId);
  const fields = encodeOperation('DELETE_MODEL', modelId, undefined, now.toISOString(), true);
  const reply = decodeDeleteModelReply(
    await ctx.redis.stratusDeleteModel(
      commandArgs(DELETE_MODEL, {
        keys: {
          model: keys.model(modelId),
          models: keys.models,
          versions: keys.modelVersions(modelId),
          operation: keys.operation(operationId),
          operations: keys.operations,
        },
        args: {
          modelId,
          channel: ctx.keys.channel('deploy'),
          project,
          operationEntry: operationEntry(operationId, now),
        },
        moreArgs: fieldArgs(fields),
      }),
    ),
  );
  if (reply.outcome === 'MODEL_NOT_FOUND') throw notFound(project, modelId);
  if (reply.outcome === 'HAS_VERSIONS') {
    throw new StratusError('MODEL_HAS_VERSIONS', {
      name: formatModelName(project, modelId),
      count: reply.versions,
    });
  }
  const operation = decodeOperation(project, operationId, fields, undefined);
  if (operation === undefined) throw new TypeError('a new operation did not decode');
  return operation;
};
