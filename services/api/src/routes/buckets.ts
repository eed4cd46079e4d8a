import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import {
  BucketSchema,
  ClaimBucketRequestSchema,
  GrantBucketRequestSchema,
  ListBucketsResponseSchema,
  PROJECT_ID_PATTERN,
  RevokeBucketRequestSchema,
  assertValidClaimBucketRequest,
  assertValidGrantBucketRequest,
  assertValidRevokeBucketRequest,
  bucketNameViolations,
  fieldError,
  violationsError,
  type Bucket,
  type ClaimBucketRequest,
  type GrantBucketRequest,
  type RevokeBucketRequest,
} from '@stratus/spec';
import { bodyValidator, ref, responses } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import { EmptySchema, ProjectParamsSchema } from '../schemas.js';

interface ProjectParams {
  project: string;
}
interface BucketParams extends ProjectParams {
  bucket: string;
}

const BUCKETS = '/v1/projects/:project/buckets';
/** Any path segment; the handler checks GCS naming so a bad name is a 400 naming `bucket`. */
const BUCKET = ':bucket([^/:]+)';

const BucketParamsSchema = Type.Object(
  { project: Type.String({ pattern: PROJECT_ID_PATTERN.source }), bucket: Type.String() },
  { additionalProperties: false },
);

const ReleaseQuerySchema = Type.Object(
  {
    reassignTo: Type.Optional(
      Type.String({
        pattern: PROJECT_ID_PATTERN.source,
        description: 'Admin only: hand the bucket to this project instead of releasing it',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The bucket path parameter, or a 400 naming `bucket` when it breaks the GCS naming rules. */
const bucketParam = (name: string): string => {
  const violations = bucketNameViolations(name, 'bucket');
  if (violations.length === 0) return name;
  throw violationsError('INVALID_ARGUMENT', violations);
};

/**
 * Buckets belong to projects (docs/api.md): claim, list (owned and granted),
 * release or reassign, grant and revoke. Any URI a request names is checked
 * by `store.buckets.authorize` where that request is handled.
 */
export const bucketsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store } = deps;

  app.post<{ Params: ProjectParams; Body: ClaimBucketRequest }>(
    BUCKETS,
    {
      config: { access: 'editor' },
      onRequest: deps.writeLimit,
      validatorCompiler: bodyValidator(assertValidClaimBucketRequest),
      schema: {
        tags: ['buckets'],
        summary: 'Claim a bucket for the project (idempotent); 403 if another project owns it',
        params: ProjectParamsSchema,
        body: ref(ClaimBucketRequestSchema),
        response: responses({ 200: ref(BucketSchema) }),
      },
    },
    async (request): Promise<Bucket> => {
      const { project } = request.params;
      const bucket = await store.buckets.claim(project, request.body.name);
      request.log.info({ project, bucket: bucket.name }, 'bucket claimed');
      return bucket;
    },
  );

  app.get<{ Params: ProjectParams }>(
    BUCKETS,
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['buckets'],
        summary: "The project's buckets (with their grants), then those granted to it",
        params: ProjectParamsSchema,
        response: responses({ 200: ref(ListBucketsResponseSchema) }),
      },
    },
    async (request) => ({ buckets: await store.buckets.list(request.params.project) }),
  );

  app.delete<{ Params: BucketParams; Querystring: { reassignTo?: string } }>(
    `${BUCKETS}/${BUCKET}`,
    {
      config: { access: 'editor' },
      onRequest: deps.writeLimit,
      schema: {
        tags: ['buckets'],
        summary:
          'Release a bucket the project owns (its grants go too); an admin may pass reassignTo=<project> to hand it over',
        params: BucketParamsSchema,
        querystring: ReleaseQuerySchema,
        response: responses({ 200: EmptySchema }),
      },
    },
    async (request) => {
      const { project } = request.params;
      const bucket = bucketParam(request.params.bucket);
      const { reassignTo } = request.query;
      if (reassignTo !== undefined && request.identity?.role !== 'admin') {
        throw fieldError('PERMISSION_DENIED', 'reassignTo', 'needs an admin token', {
          detail: 'reassignTo: only an admin token may reassign a bucket',
        });
      }
      await store.buckets.release(project, bucket, reassignTo);
      request.log.info({ project, bucket, reassignTo }, 'bucket released');
      return {};
    },
  );

  app.post<{ Params: BucketParams; Body: GrantBucketRequest }>(
    `${BUCKETS}/${BUCKET}::grant`,
    {
      config: { access: 'editor' },
      onRequest: deps.writeLimit,
      validatorCompiler: bodyValidator(assertValidGrantBucketRequest),
      schema: {
        tags: ['buckets'],
        summary: 'Grant another project READER or WRITER on a bucket the project owns',
        params: BucketParamsSchema,
        body: ref(GrantBucketRequestSchema),
        response: responses({ 200: ref(BucketSchema) }),
      },
    },
    async (request): Promise<Bucket> => {
      const { project } = request.params;
      const bucket = bucketParam(request.params.bucket);
      const { project: grantee, role } = request.body;
      const result = await store.buckets.grant(project, bucket, grantee, role);
      request.log.info({ project, bucket, grantee, role }, 'bucket granted');
      return result;
    },
  );

  app.post<{ Params: BucketParams; Body: RevokeBucketRequest }>(
    `${BUCKETS}/${BUCKET}::revoke`,
    {
      config: { access: 'editor' },
      onRequest: deps.writeLimit,
      validatorCompiler: bodyValidator(assertValidRevokeBucketRequest),
      schema: {
        tags: ['buckets'],
        summary: "Remove a project's grant on a bucket the project owns",
        params: BucketParamsSchema,
        body: ref(RevokeBucketRequestSchema),
        response: responses({ 200: ref(BucketSchema) }),
      },
    },
    async (request): Promise<Bucket> => {
      const { project } = request.params;
      const bucket = bucketParam(request.params.bucket);
      const grantee = request.body.project;
      const result = await store.buckets.revoke(project, bucket, grantee);
      request.log.info({ project, bucket, grantee }, 'bucket grant revoked');
      return result;
    },
  );
};
