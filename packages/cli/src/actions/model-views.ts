import type { Model, Operation, Version } from '@stratus/spec';
import type { ResourceView } from '../output/printer.js';

/** `projects/p/models/m/versions/v` → `v`: tables show ids, as gcloud's basename(). */
export const basename = (name: string | undefined): string => name?.split('/').pop() ?? '';

/** Where a version's model came from: its bundle URI or `job J [trial N]`. */
export const versionSource = (version: Version): string => {
  if (version.deploymentUri !== undefined && version.sourceJob === undefined) {
    return version.deploymentUri;
  }
  const job = version.sourceJob;
  if (job === undefined) return '';
  return `job ${job.jobId}${job.trialId === undefined ? '' : ` trial ${job.trialId}`}`;
};

/** `models list`: gcloud's NAME and DEFAULT_VERSION_NAME. */
export const MODEL_LIST_VIEW: ResourceView = {
  columns: [
    { field: 'name', cell: (model) => basename((model as Model).name) },
    {
      field: 'defaultVersion.name',
      header: 'DEFAULT_VERSION_NAME',
      cell: (model) => basename((model as Model).defaultVersion?.name),
    },
    { field: 'createTime', header: 'CREATED' },
  ],
};

/** `models describe` / `create`: the whole resource as YAML. */
export const MODEL_DESCRIBE_VIEW: ResourceView = { ...MODEL_LIST_VIEW, defaultFormat: 'yaml' };

/** `versions list`: id, state (coloured), default marker, source, creation time. */
export const VERSION_LIST_VIEW: ResourceView = {
  columns: [
    { field: 'name', cell: (version) => basename((version as Version).name) },
    { field: 'state', state: true },
    {
      field: 'isDefault',
      header: 'DEFAULT',
      cell: (version) => ((version as Version).isDefault === true ? '*' : ''),
    },
    {
      field: 'deploymentUri',
      header: 'SOURCE',
      cell: (version) => versionSource(version as Version),
    },
    { field: 'createTime', header: 'CREATED' },
  ],
};

/** `versions describe` / `create` / `set-default`: the whole resource as YAML. */
export const VERSION_DESCRIBE_VIEW: ResourceView = { ...VERSION_LIST_VIEW, defaultFormat: 'yaml' };

/** `operations list`: id, type, model, whether done, and its error if it has one. */
export const OPERATION_LIST_VIEW: ResourceView = {
  columns: [
    { field: 'name', cell: (operation) => basename((operation as Operation).name) },
    {
      field: 'metadata.operationType',
      header: 'TYPE',
      cell: (operation) => (operation as Operation).metadata.operationType,
    },
    {
      field: 'metadata.modelName',
      header: 'MODEL',
      cell: (operation) => basename((operation as Operation).metadata.modelName),
    },
    { field: 'done' },
    {
      field: 'error.message',
      header: 'ERROR',
      cell: (operation) => (operation as Operation).error?.message ?? '',
    },
  ],
};

/** `versions create --async`, `operations describe|cancel|wait`: the operation as YAML (its name is what to poll). */
export const OPERATION_VIEW: ResourceView = {
  columns: [{ field: 'name' }, { field: 'done' }],
  defaultFormat: 'yaml',
};
