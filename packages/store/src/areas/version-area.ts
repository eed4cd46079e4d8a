import type { Operation, PatchRequest, Version, VersionInput } from '@stratus/spec';
import { patchVersion } from '../model-patch.js';
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
  listAllVersions,
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
  /** Every version of the model, in name order (all pages). */
  listAll(project: string, modelId: string): Promise<Version[]>;
  setDefault(project: string, modelId: string, versionId: string): Promise<Version>;
  finish(
    project: string,
    modelId: string,
    versionId: string,
    outcome: VersionOutcome,
  ): Promise<FinishVersionResult>;
  delete(project: string, modelId: string, versionId: string): Promise<Operation>;
  /** Change the masked fields (description, labels, replica counts); a finished UPDATE_VERSION operation. */
  patch(
    project: string,
    modelId: string,
    versionId: string,
    request: PatchRequest,
  ): Promise<Operation>;
  touch(project: string, modelId: string, versionId: string, time?: Date): Promise<boolean>;
  /** Every version, in every project, still CREATING (what a starting predictor loads). */
  listPending(): Promise<PendingVersion[]>;
}

export const createVersionArea = (ctx: StoreContext): VersionArea => ({
  create: createVersion.bind(undefined, ctx),
  get: getVersion.bind(undefined, ctx),
  find: findVersion.bind(undefined, ctx),
  list: listVersions.bind(undefined, ctx),
  listAll: listAllVersions.bind(undefined, ctx),
  setDefault: setDefaultVersion.bind(undefined, ctx),
  finish: finishVersion.bind(undefined, ctx),
  delete: deleteVersion.bind(undefined, ctx),
  patch: patchVersion.bind(undefined, ctx),
  touch: touchVersion.bind(undefined, ctx),
  listPending: listPendingVersions.bind(undefined, ctx),
});
