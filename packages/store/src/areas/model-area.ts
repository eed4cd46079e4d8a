import type { Model, ModelInput, Operation, SourceJob } from '@stratus/spec';
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
import { getOperation } from '../operations.js';
import { resolveSourceJob } from '../source-job.js';

/** Models, and the operations their deletes return (docs/api.md). */
export interface ModelArea {
  create(project: string, input: ModelInput): Promise<Model>;
  get(project: string, modelId: string): Promise<Model>;
  find(project: string, modelId: string): Promise<Model | undefined>;
  list(project: string, request?: ListPageRequest): Promise<ListModelsResult>;
  delete(project: string, modelId: string): Promise<Operation>;
  /** The job id a version's `sourceJob` names (its best trial's output). */
  resolveSourceJob(project: string, source: SourceJob): Promise<string>;
  getOperation(project: string, operationId: string): Promise<Operation>;
}

export const createModelArea = (ctx: StoreContext): ModelArea => ({
  create: (project, input) => createModel(ctx, project, input),
  get: (project, modelId) => getModel(ctx, project, modelId),
  find: (project, modelId) => findModel(ctx, project, modelId),
  list: (project, request) => listModels(ctx, project, request),
  delete: (project, modelId) => deleteModel(ctx, project, modelId),
  resolveSourceJob: (project, source) => resolveSourceJob(ctx, project, source),
  getOperation: (project, operationId) => getOperation(ctx, project, operationId),
});
