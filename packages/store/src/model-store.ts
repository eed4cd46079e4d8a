import type { Model, ModelInput, Operation, SourceJob, Version, VersionInput } from '@stratus/spec';
import type { StoreContext } from './context.js';
import { subscribeDeployEvents, type DeployEvent } from './deploy-events.js';
import type { Subscription } from './events.js';
import type { ListPageRequest } from './model-ids.js';
import {
  createModel,
  deleteModel,
  findModel,
  getModel,
  listModels,
  type ListModelsResult,
} from './models.js';
import { getOperation } from './operations.js';
import { resolveSourceJob } from './source-job.js';
import {
  deleteVersion,
  finishVersion,
  listPendingVersions,
  setDefaultVersion,
  touchVersion,
  type FinishVersionResult,
  type PendingVersion,
  type VersionOutcome,
} from './version-changes.js';
import {
  createVersion,
  findVersion,
  getVersion,
  listVersions,
  type CreatedVersion,
  type ListVersionsResult,
} from './versions.js';

/** Models, versions and operations (docs/api.md), and the deploy events predictors follow. */
export interface ModelStore {
  createModel(project: string, input: ModelInput): Promise<Model>;
  getModel(project: string, modelId: string): Promise<Model>;
  findModel(project: string, modelId: string): Promise<Model | undefined>;
  listModels(project: string, request?: ListPageRequest): Promise<ListModelsResult>;
  deleteModel(project: string, modelId: string): Promise<Operation>;
  createVersion(project: string, modelId: string, input: VersionInput): Promise<CreatedVersion>;
  getVersion(project: string, modelId: string, versionId: string): Promise<Version>;
  findVersion(project: string, modelId: string, versionId: string): Promise<Version | undefined>;
  listVersions(
    project: string,
    modelId: string,
    request?: ListPageRequest,
  ): Promise<ListVersionsResult>;
  setDefaultVersion(project: string, modelId: string, versionId: string): Promise<Version>;
  finishVersion(
    project: string,
    modelId: string,
    versionId: string,
    outcome: VersionOutcome,
  ): Promise<FinishVersionResult>;
  deleteVersion(project: string, modelId: string, versionId: string): Promise<Operation>;
  touchVersion(project: string, modelId: string, versionId: string, time?: Date): Promise<boolean>;
  listPendingVersions(): Promise<PendingVersion[]>;
  resolveSourceJob(project: string, source: SourceJob): Promise<string>;
  getOperation(project: string, operationId: string): Promise<Operation>;
  subscribeDeployEvents(
    handler: (event: DeployEvent) => void | Promise<void>,
  ): Promise<Subscription>;
}

/** The ModelStore methods over one store context. */
export const modelStoreMethods = (ctx: StoreContext): ModelStore => ({
  createModel: (project, input) => createModel(ctx, project, input),
  getModel: (project, modelId) => getModel(ctx, project, modelId),
  findModel: (project, modelId) => findModel(ctx, project, modelId),
  listModels: (project, request) => listModels(ctx, project, request),
  deleteModel: (project, modelId) => deleteModel(ctx, project, modelId),
  createVersion: (project, modelId, input) => createVersion(ctx, project, modelId, input),
  getVersion: (project, modelId, versionId) => getVersion(ctx, project, modelId, versionId),
  findVersion: (project, modelId, versionId) => findVersion(ctx, project, modelId, versionId),
  listVersions: (project, modelId, request) => listVersions(ctx, project, modelId, request),
  setDefaultVersion: (project, modelId, versionId) =>
    setDefaultVersion(ctx, project, modelId, versionId),
  finishVersion: (project, modelId, versionId, outcome) =>
    finishVersion(ctx, project, modelId, versionId, outcome),
  deleteVersion: (project, modelId, versionId) => deleteVersion(ctx, project, modelId, versionId),
  touchVersion: (project, modelId, versionId, time) =>
    touchVersion(ctx, project, modelId, versionId, time),
  listPendingVersions: () => listPendingVersions(ctx),
  resolveSourceJob: (project, source) => resolveSourceJob(ctx, project, source),
  getOperation: (project, operationId) => getOperation(ctx, project, operationId),
  subscribeDeployEvents: (handler) => subscribeDeployEvents(ctx, handler),
});
