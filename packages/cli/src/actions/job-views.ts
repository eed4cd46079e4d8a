import type { ResourceView } from '../output/printer.js';

/** `jobs list`: gcloud's JOB_ID, STATUS, CREATED. */
export const JOB_LIST_VIEW: ResourceView = {
  columns: [
    { field: 'jobId' },
    { field: 'state', header: 'STATUS', state: true },
    { field: 'createTime', header: 'CREATED' },
  ],
};

/** `jobs describe`: the whole resource as YAML by default. */
export const JOB_DESCRIBE_VIEW: ResourceView = { ...JOB_LIST_VIEW, defaultFormat: 'yaml' };

/** After submit/cancel: `jobId` and `state` as YAML by default, as gcloud prints. */
export const JOB_VIEW_SUBMITTED: ResourceView = {
  ...JOB_LIST_VIEW,
  defaultFormat: 'yaml',
  defaultProjection: (job) => {
    const { jobId, state } = job as { jobId: string; state: string };
    return { jobId, state };
  },
};
