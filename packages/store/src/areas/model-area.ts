import type { Model, ModelInput, Operation, PatchRequest, SourceJob } from '@stratus/spec';
import type { StoreContext } from '../context.js';
import type { ListPageRequest } from '../model-ids.js';
import {
  createModel,
  deleteModel,
  findModel,
  getModel,
  listModels,
  type ListModelsResult,
} from '../models.js';
import {
  cancelOperation,
  getOperation,
  listOperations,
  type ListOperationsResult,
} from '../operations.js';
import { patchModel } from '../model-patch.js';
import { resolveSourceJob } from '../source-job.js';

/** Models, and the operations their deletes return (docs/api.md). */
export interface ModelArea {
  create(project: string, input: ModelInput): Promise<Model>;
  get(project: string, modelId: string): Promise<Model>;
  find(project: string, modelId: string): Promise<Model | undefined>;
  list(project: string, request?: ListPageRequest): Promise<ListModelsResult>;
  delete(project: string, modelId: string): Promise<Operation>;
  /** Change the masked fields (description, labels); a finished UPDATE_MODEL operation. */
  patch(project: string, modelId: string, request: PatchRequest): Promise<Operation>;
  /** The job id a version's `sourceJob` names (its best trial's output). */
  resolveSourceJob(project: string, source: SourceJob): Promise<string>;
  getOperation(project: string, operationId: string): Promise<Operation>;
  /** The project's operations, newest first (operations.list). */
  listOperations(project: string, request?: ListPageRequest): Promise<ListOperationsResult>;
  /** Cancel a deploy not yet done; a no-op on a done operation. */
  cancelOperation(project: string, operationId: string): Promise<void>;
}

export const createModelArea = (ctx: StoreContext): ModelArea => ({
  create: createModel.bind(undefined, ctx),
  get: getModel.bind(undefined, ctx),
  find: findModel.bind(undefined, ctx),
  list: listModels.bind(undefined, ctx),
  delete: deleteModel.bind(undefined, ctx),
  patch: patchModel.bind(undefined, ctx),
  resolveSourceJob: resolveSourceJob.bind(undefined, ctx),
  getOperation: getOperation.bind(undefined, ctx),
  listOperations: listOperations.bind(undefined, ctx),
  cancelOperation: cancelOperation.bind(undefined, ctx),
});
