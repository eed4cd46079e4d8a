import {
  StratusError,
  applyUpdateMask,
  type Job,
  type JobInput,
  type PatchRequest,
} from '@stratus/spec';
import { jobName, type StoreContext } from './context.js';
import { storedInput } from './job-codec.js';
import { getJob } from './jobs.js';
import { patchStoredInput } from './patch-resource.js';

const labelPairs = (labels: Readonly<Record<string, string>> | undefined): string[] =>
  Object.entries(labels ?? {}).map(([key, value]) => `${key}=${value}`);

/**
 * Update a job's labels (the one field Cloud ML lets a job patch change),
 * moving it between the project's label indexes in the same step;
 * JOB_NOT_FOUND, ETAG_MISMATCH (409) when the request's etag is stale.
 */
export const patchJob = async (
  ctx: StoreContext,
  project: string,
  jobId: string,
  request: PatchRequest,
): Promise<Job> => {
  const projectKeys = ctx.keys.project(project);
  const indexOf = (pair: string): string => {
    const at = pair.indexOf('=');
    return projectKeys.jobsWithLabel(pair.slice(0, at), pair.slice(at + 1));
  };
  await patchStoredInput(ctx, {
    kind: 'job',
    name: jobName(project, jobId),
    key: ctx.keys.job(project, jobId).meta,
    member: jobId,
    ...(request.etag === undefined ? {} : { etag: request.etag }),
    notFound: () => new StratusError('JOB_NOT_FOUND', { name: jobName(project, jobId) }),
    plan: (meta) => {
      const input = JSON.parse(meta.input ?? '{}') as JobInput;
      const patched = applyUpdateMask(input, request.values, request.paths);
      const next = storedInput(
        Object.keys(patched.labels ?? {}).length === 0
          ? { ...patched, labels: undefined }
          : patched,
      );
      const before = labelPairs(input.labels);
      const after = labelPairs(next.labels);
      return {
        input: JSON.stringify(next),
        leaveIndexes: before.filter((pair) => !after.includes(pair)).map(indexOf),
        joinIndexes: after.filter((pair) => !before.includes(pair)).map(indexOf),
      };
    },
  });
  return getJob(ctx, project, jobId);
};
