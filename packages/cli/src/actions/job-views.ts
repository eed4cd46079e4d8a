import type { ResourceView } from '../output/printer.js';

/** `projects/P/jobs/J`: a job's REST path under `/v1/` (`--uri`). */
export const jobPath = (project: string, jobId: string): string =>
  `projects/${encodeURIComponent(project)}/jobs/${encodeURIComponent(jobId)}`;

/** What kind of job this is: `training` or `batch prediction`. */
export const jobType = (job: unknown): string =>
  (job as { predictionInput?: unknown }).predictionInput === undefined
    ? 'training'
    : 'batch prediction';

/** `jobs list`: gcloud's JOB_ID, STATUS, CREATED, then TYPE (training or batch prediction). */
export const JOB_LIST_VIEW: ResourceView = {
  columns: [
    { field: 'jobId' },
    { field: 'state', header: 'STATUS', state: true },
    { field: 'createTime', header: 'CREATED' },
    { field: 'type', header: 'TYPE', cell: jobType },
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
