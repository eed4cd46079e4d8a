import type { FastifyPluginAsync } from 'fastify';
import {
  ID_PATTERN,
  JobInputSchema,
  JobSchema,
  ListJobsResponseSchema,
  ListQuerySchema,
  assertValidJobInput,
  type JobInput,
  type ListQuery,
} from '@stratus/spec';
import { ref } from '@stratus/http';
import { cancelJob, submitJob, submitPredictionJob } from '@stratus/lifecycle';
import type { RouteDeps } from '../deps.js';
import {
  CancelJobRequestSchema,
  JobParamsSchema,
  PatchBodySchema,
  ProjectParamsSchema,
  UpdateMaskQuerySchema,
} from '../schemas.js';
import { patchRequest, type UpdateMaskQuery } from './patch-request.js';
import { readRoute } from './read-route.js';
import { writeRoute } from './write-route.js';

interface ProjectParams {
  project: string;
}
interface JobParams extends ProjectParams {
  jobId: string;
}

/** `:cancel` is a custom method on the job: the id is a regex param so the suffix can follow it. */
const CANCEL_PATH = `/v1/projects/:project/jobs/:jobId(${ID_PATTERN.source.replace(/\$$/, '')})::cancel`;

/** Jobs: create, list, get, patch (labels), cancel (docs/api.md). */
export const jobsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store, queues } = deps;

  writeRoute<ProjectParams, JobInput>(app, deps, {
    method: 'POST',
    url: '/v1/projects/:project/jobs',
    tag: 'jobs',
    summary: 'Submit a training or batch prediction job; 409 if the id is taken',
    params: ProjectParamsSchema,
    body: ref(JobInputSchema),
    assertBody: (body) => assertValidJobInput(body, deps.config.limits),
    response: ref(JobSchema),
    handler: async (request) => {
      const { project } = request.params;
      const { body } = request;
      const { limits } = deps.config;
      const { job, trialIds } =
        body.predictionInput === undefined
          ? await submitJob(
              store,
              queues,
              project,
              body,
              request.log,
              limits.maxQueuedJobsPerProject,
            )
          : await submitPredictionJob(
              store,
              queues,
              deps.storage,
              project,
              { ...body, predictionInput: body.predictionInput },
              request.log,
              limits,
            );
      request.log.info({ project, jobId: job.jobId, trialIds }, 'job queued');
      return job;
    },
  });

  readRoute<ProjectParams, ListQuery>(app, {
    url: '/v1/projects/:project/jobs',
    tag: 'jobs',
    summary: 'List jobs, newest first (filter e.g. state=RUNNING AND labels.team=x)',
    params: ProjectParamsSchema,
    querystring: ListQuerySchema,
    response: ListJobsResponseSchema,
    handler: ({ params, query }) => store.jobs.list(params.project, query),
  });

  readRoute<JobParams>(app, {
    url: '/v1/projects/:project/jobs/:jobId',
    tag: 'jobs',
    summary: 'Get a job, with trainingOutput filled as trials finish',
    params: JobParamsSchema,
    response: JobSchema,
    handler: ({ params }) => store.jobs.get(params.project, params.jobId),
  });

  writeRoute<JobParams, unknown, UpdateMaskQuery>(app, deps, {
    method: 'PATCH',
    url: '/v1/projects/:project/jobs/:jobId',
    tag: 'jobs',
    summary: "Change a job's labels (updateMask=labels); 409 ABORTED if the body's etag is stale",
    params: JobParamsSchema,
    querystring: UpdateMaskQuerySchema,
    body: PatchBodySchema,
    response: ref(JobSchema),
    handler: async ({ params, query, body }) =>
      store.jobs.patch(params.project, params.jobId, patchRequest('job', query, body)),
  });

  writeRoute<JobParams>(app, deps, {
    method: 'POST',
    url: CANCEL_PATH,
    tag: 'jobs',
    summary: 'Cancel a job: queued trials removed, running trials stopped',
    params: JobParamsSchema,
    body: CancelJobRequestSchema,
    response: ref(JobSchema),
    handler: async (request) =>
      cancelJob(store, queues, request.params.project, request.params.jobId, request.log),
  });
};
