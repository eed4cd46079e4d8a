import type { Operation, Version, VersionInput } from '@stratus/spec';
import type { StoreContext } from '../context.js';
import type { ListPageRequest } from '../model-ids.js';
import {
  deleteVersion,
  finishVersion,
  listPendingVersions,
  setDefaultVersion,
  touchVersion,
  type FinishVersionResult,
  type PendingVersion,
  type VersionOutcome,
} from '../version-changes.js';
import {
  createVersion,
  findVersion,
  getVersion,
  listVersions,
  type CreatedVersion,
  type ListVersionsResult,
} from '../versions.js';

/** A model's versions: created, deployed (finished), made default, touched by predictions, deleted. */
export interface VersionArea {
  create(project: string, modelId: string, input: VersionInput): Promise<CreatedVersion>;
  get(project: string, modelId: string, versionId: string): Promise<Version>;
  find(project: string, modelId: string, versionId: string): Promise<Version | undefined>;
  list(project: string, modelId: string, request?: ListPageRequest): Promise<ListVersionsResult>;
  setDefault(project: string, modelId: string, versionId: string): Promise<Version>;
  finish(
    project: string,
    modelId: string,
    versionId: string,
    outcome: VersionOutcome,
  ): Promise<FinishVersionResult>;
  delete(project: string, modelId: string, versionId: string): Promise<Operation>;
  touch(project: string, modelId: string, versionId: string, time?: Date): Promise<boolean>;
  /** Every version, in every project, still CREATING (what a starting predictor loads). */
  listPending(): Promise<PendingVersion[]>;
}

export const createVersionArea = (ctx: StoreContext): VersionArea => ({
  create: (project, modelId, input) => createVersion(ctx, project, modelId, input),
  get: (project, modelId, versionId) => getVersion(ctx, project, modelId, versionId),
  find: (project, modelId, versionId) => findVersion(ctx, project, modelId, versionId),
  list: (project, modelId, request) => listVersions(ctx, project, modelId, request),
  setDefault: (project, modelId, versionId) => setDefaultVersion(ctx, project, modelId, versionId),
  finish: (project, modelId, versionId, outcome) =>
    finishVersion(ctx, project, modelId, versionId, outcome),
  delete: (project, modelId, versionId) => deleteVersion(ctx, project, modelId, versionId),
  touch: (project, modelId, versionId, time) =>
    touchVersion(ctx, project, modelId, versionId, time),
  listPending: () => listPendingVersions(ctx),
});
