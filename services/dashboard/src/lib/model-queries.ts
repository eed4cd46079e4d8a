import type { StratusClient } from '@stratus/client';
import type { ListModelsResponse, ListVersionsResponse, Model, Version } from '@stratus/spec';

/**
 * The models and versions queries the models page and the batch prediction
 * form share (same keys, same results, one cache). Each reads every page:
 * the API returns at most 100 per page, 20 by default.
 */
export const modelsQuery = (client: StratusClient, project: string) => ({
  queryKey: ['models', project],
  queryFn: async (): Promise<ListModelsResponse> => {
    const models: Model[] = [];
    for await (const model of client.models.listAll({ pageSize: 100 })) models.push(model);
    return { models };
  },
});

/** Every version of `model` (see modelsQuery). */
export const versionsQuery = (client: StratusClient, project: string, model: string) => ({
  queryKey: ['models', project, model, 'versions'],
  queryFn: async (): Promise<ListVersionsResponse> => {
    const versions: Version[] = [];
    for await (const version of client.versions.listAll(model, { pageSize: 100 })) {
      versions.push(version);
    }
    return { versions };
  },
});
