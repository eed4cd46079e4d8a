import {
  MAX_LIST_PAGE_SIZE,
  StratusError,
  VERSION_FILTER_FIELDS,
  fieldError,
  formatModelName,
  formatVersionName,
  type Operation,
  type Version,
  type VersionInput,
} from '@stratus/spec';
import type { StoreContext } from './context.js';
import { decodeOperation, decodeVersion, encodeOperation, encodeVersion } from './model-codec.js';
import { lastSegment, listByName, newOperationId, type ListPageRequest } from './model-ids.js';
import { createVersionArgs, decodeCreateVersionReply } from './commands/model.js';
import { operationEntry } from './operations.js';
import { asHash, execPipeline, fieldArgs } from './redis-util.js';
import { resolveSourceJob } from './source-job.js';

export interface ListVersionsResult {
  readonly versions: Version[];
  readonly nextPageToken?: string;
}

/** A version just created and the operation that reports when it is READY or FAILED. */
export interface CreatedVersion {
  readonly version: Version;
  readonly operation: Operation;
}

export const modelNotFound = (project: string, modelId: string): StratusError =>
  new StratusError('MODEL_NOT_FOUND', { name: formatModelName(project, modelId) });

export const versionNotFound = (
  project: string,
  modelId: string,
  versionId: string,
): StratusError =>
  new StratusError('VERSION_NOT_FOUND', { name: formatVersionName(project, modelId, versionId) });

/**
 * Add a CREATING version (from `deploymentUri`, or the model a `sourceJob`
 * trained) and its CREATE_VERSION operation, and tell the predictors. The
 * model's first version becomes its default. MODEL_NOT_FOUND, VERSION_ALREADY_EXISTS (409).
 */
export const createVersion = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  input: VersionInput,
): Promise<CreatedVersion> => {
  const keys = ctx.keys.project(project);
  const deploymentUri =
    input.deploymentUri ??
    (input.sourceJob === undefined
      ? undefined
      : await resolveSourceJob(ctx, project, input.sourceJob));
  if (deploymentUri === undefined) {
    throw fieldError(
      'INVALID_VERSION_SPEC',
      'deploymentUri',
      'is required unless sourceJob is set',
    );
  }
  const now = ctx.now();
  const createTime = now.toISOString();
  for (;;) {
    const operationId = newOperationId('create', now, modelId, input.name);
    const fields = encodeVersion(input, deploymentUri, createTime, operationId);
    const opFields = encodeOperation('CREATE_VERSION', modelId, input.name, createTime, false);
    const reply = decodeCreateVersionReply(
      await ctx.redis.stratusCreateVersion(
        createVersionArgs({
          keys: {
            model: keys.model(modelId),
            versions: keys.modelVersions(modelId),
            version: keys.version(modelId, input.name),
            operation: keys.operation(operationId),
            pending: keys.pendingVersions,
            operations: keys.operations,
          },
          args: {
            versionId: input.name,
            modelId,
            project,
            channel: ctx.keys.channel('deploy'),
            operationEntry: operationEntry(operationId, now),
          },
          versionFields: fieldArgs(fields),
          operationFields: fieldArgs(opFields),
        }),
      ),
    );
    if (reply.outcome === 'OPERATION_EXISTS') continue;
    if (reply.outcome === 'MODEL_NOT_FOUND') throw modelNotFound(project, modelId);
    if (reply.outcome === 'VERSION_EXISTS') {
      throw new StratusError('VERSION_ALREADY_EXISTS', {
        name: formatVersionName(project, modelId, input.name),
      });
    }
    const version = decodeVersion(
      project,
      modelId,
      input.name,
      { ...fields, rev: '1' },
      reply.isDefault ? input.name : undefined,
    );
    const operation = decodeOperation(project, operationId, opFields, version);
    if (version === undefined || operation === undefined) {
      throw new TypeError('a new version did not decode');
    }
    return { version, operation };
  }
};

/** Versions of one model by id, in order (missing ones skipped); MODEL_NOT_FOUND. */
export const readVersions = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  versionIds: readonly string[],
): Promise<Version[]> => {
  const keys = ctx.keys.project(project);
  const pipeline = ctx.redis.pipeline();
  pipeline.hmget(keys.model(modelId), 'createTime', 'defaultVersion');
  for (const versionId of versionIds) pipeline.hgetall(keys.version(modelId, versionId));
  const [model, ...hashes] = await execPipeline(pipeline);
  const [createTime, defaultVersion] = model as (string | null)[];
  if (createTime === null || createTime === undefined) throw modelNotFound(project, modelId);
  return versionIds.flatMap((versionId, i) => {
    const version = decodeVersion(
      project,
      modelId,
      versionId,
      asHash(hashes[i]),
      defaultVersion ?? undefined,
    );
    return version === undefined ? [] : [version];
  });
};

/** The version, or undefined; MODEL_NOT_FOUND when the model is missing. */
export const findVersion = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  versionId: string,
): Promise<Version | undefined> => (await readVersions(ctx, project, modelId, [versionId]))[0];

/** The version; MODEL_NOT_FOUND or VERSION_NOT_FOUND (404). */
export const getVersion = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  versionId: string,
): Promise<Version> => {
  const version = await findVersion(ctx, project, modelId, versionId);
  if (version === undefined) throw versionNotFound(project, modelId, versionId);
  return version;
};

/** Every version of a model in name order, page after page; MODEL_NOT_FOUND. */
export const listAllVersions = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
): Promise<Version[]> => {
  const versions: Version[] = [];
  let pageToken: string | undefined;
  do {
    const page = await listVersions(ctx, project, modelId, {
      pageSize: MAX_LIST_PAGE_SIZE,
      ...(pageToken === undefined ? {} : { pageToken }),
    });
    versions.push(...page.versions);
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
  return versions;
};

/** One page of a model's versions in name order, filtered (VERSION_FILTER_FIELDS); MODEL_NOT_FOUND. */
export const listVersions = async (
  ctx: StoreContext,
  project: string,
  modelId: string,
  request: ListPageRequest = {},
): Promise<ListVersionsResult> => {
  const page = await listByName<Version>(
    ctx,
    {
      index: ctx.keys.project(project).modelVersions(modelId),
      fields: VERSION_FILTER_FIELDS,
      read: (ids) => readVersions(ctx, project, modelId, ids),
      idOf: (version) => lastSegment(version.name),
      filterRecord: (version) => ({
        name: lastSegment(version.name),
        description: version.description,
        state: version.state,
        framework: version.framework,
        createTime: version.createTime,
        labels: version.labels ?? {},
      }),
    },
    request,
  );
  return page.nextPageToken === undefined
    ? { versions: page.records }
    : { versions: page.records, nextPageToken: page.nextPageToken };
};
