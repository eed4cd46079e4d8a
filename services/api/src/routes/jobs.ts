import type { FastifyPluginAsync } from 'fastify';
import {
  ID_PATTERN,
  JobInputSchema,
  JobSchema,
  ListJobsResponseSchema,
  ListQuerySchema,
  assertValidJobInput,
  resolveHyperparameterSpec,
  type JobInput,
  type ListQuery,
} from '@stratus/spec';
import type { CreateJobOptions } from '@stratus/store';
import { cancelJob } from '../cancel-job.js';
import type { RouteDeps } from '../deps.js';
import { enqueueInitialTrials, planInitialTrials } from '../enqueue.js';
import {
  CancelJobRequestSchema,
  JobParamsSchema,
  ProjectParamsSchema,
  ref,
  responses,
} from '../schemas.js';
import { bodyValidator } from '../validation.js';

interface ProjectParams {
  project: string;
}
interface JobParams extends ProjectParams {
  jobId: string;
}

const createOptions = (input: JobInput): CreateJobOptions => {
  const spec = input.trainingInput.hyperparameters;
  if (spec === undefined) return {};
  const resolved = resolveHyperparameterSpec(spec, input.trainingInput.builtinAlgorithm?.name);
  return { goal: resolved.goal, hyperparameterMetricTag: resolved.hyperparameterMetricTag };
};

/** `:cancel` is a custom method on the job: the id is a regex param so the suffix can follow it. */
const CANCEL_PATH = `/v1/projects/:project/jobs/:jobId(${ID_PATTERN.source.replace(/\$$/, '')})::cancel`;

/** Jobs: create, list, get, cancel (DESIGN §3). */
export const jobsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store, queues } = deps;

  app.post<{ Params: ProjectParams; Body: JobInput }>(
    '/v1/projects/:project/jobs',
    {
      config: { access: 'editor' },
      onRequest: deps.writeLimit,
      validatorCompiler: bodyValidator(assertValidJobInput),
      schema: {
        tags: ['jobs'],
        summary: 'Submit a training job; 409 if the id is taken',
        params: ProjectParamsSchema,
        body: ref(JobInputSchema),
        response: responses({ 200: ref(JobSchema) }),
      },
    },
    async (request) => {
      const { project } = request.params;
      const input = request.body;
      // Decided before anything is stored, so a spec the tuner refuses leaves no job behind.
      const plan = await planInitialTrials(store, project, input);
      const job = await store.createJob(project, input, createOptions(input));
      try {
        const trialIds = await enqueueInitialTrials(store, queues, project, job, plan);
        request.log.info({ project, jobId: job.jobId, trialIds }, 'job queued');
      } catch (error) {
        await store
          .transition(project, job.jobId, {
            from: ['QUEUED'],
            to: 'FAILED',
            patch: { errorMessage: 'Stratus could not enqueue the job; submit it again' },
          })
          .catch((err: unknown) => request.log.error({ err }, 'could not fail the job'));
        throw error;
      }
      // Only a tuning job's response lists trials; a plain job is as createJob returned it.
      return input.trainingInput.hyperparameters === undefined
        ? job
        : store.getJob(project, job.jobId);
    },
  );

  app.get<{ Params: ProjectParams; Querystring: ListQuery }>(
    '/v1/projects/:project/jobs',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['jobs'],
        summary: 'List jobs, newest first (filter e.g. state=RUNNING AND labels.team=x)',
        params: ProjectParamsSchema,
        querystring: ListQuerySchema,
        response: responses({ 200: ref(ListJobsResponseSchema) }),
      },
    },
    async (request) => store.listJobs(request.params.project, request.query),
  );

  app.get<{ Params: JobParams }>(
    '/v1/projects/:project/jobs/:jobId',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['jobs'],
        summary: 'Get a job, with trainingOutput filled as trials finish',
        params: JobParamsSchema,
        response: responses({ 200: ref(JobSchema) }),
      },
    },
    async (request) => store.getJob(request.params.project, request.params.jobId),
  );

  app.post<{ Params: JobParams }>(
    CANCEL_PATH,
    {
      config: { access: 'editor' },
      onRequest: deps.writeLimit,
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a job: queued trials removed, running trials stopped',
        params: JobParamsSchema,
        body: CancelJobRequestSchema,
        response: responses({ 200: ref(JobSchema) }),
      },
    },
    async (request) =>
      cancelJob(store, queues, request.params.project, request.params.jobId, request.log),
  );
};
