import type { FastifyPluginAsync } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import {
  BucketSchema,
  ClaimBucketRequestSchema,
  GrantBucketRequestSchema,
  ListBucketsResponseSchema,
  ProjectIdSchema,
  RevokeBucketRequestSchema,
  assertValidClaimBucketRequest,
  assertValidGrantBucketRequest,
  assertValidRevokeBucketRequest,
  bucketNameViolations,
  fieldError,
  violationsError,
  type Bucket,
  type BucketGrantRole,
  type ClaimBucketRequest,
} from '@stratus/spec';
import { ref } from '@stratus/http';
import type { RouteDeps } from '../deps.js';
import { EmptySchema, ProjectParamsSchema } from '../schemas.js';
import { readRoute } from './read-route.js';
import { writeRoute } from './write-route.js';

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
  { project: ProjectIdSchema(), bucket: Type.String() },
  { additionalProperties: false },
);

const ReleaseQuerySchema = Type.Object(
  {
    reassignTo: Type.Optional(
      ProjectIdSchema({
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

/** What `:grant` and `:revoke` send: the grantee, and for a grant its role. */
interface GrantChange {
  readonly project: string;
  readonly role?: BucketGrantRole;
}

/**
 * Buckets belong to projects (docs/api.md): claim, list (owned and granted),
 * release or reassign, grant and revoke. Any URI a request names is checked
 * by `store.buckets.authorize` where that request is handled.
 */
export const bucketsRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const { store } = deps;

  writeRoute<ProjectParams, ClaimBucketRequest>(app, deps, {
    method: 'POST',
    url: BUCKETS,
    tag: 'buckets',
    summary: 'Claim a bucket for the project (idempotent); 403 if another project owns it',
    params: ProjectParamsSchema,
    body: ref(ClaimBucketRequestSchema),
    assertBody: assertValidClaimBucketRequest,
    response: ref(BucketSchema),
    handler: async (request): Promise<Bucket> => {
      const { project } = request.params;
      const bucket = await store.buckets.claim(project, request.body.name);
      request.log.info({ project, bucket: bucket.name }, 'bucket claimed');
      return bucket;
    },
  });

  readRoute<ProjectParams>(app, {
    url: BUCKETS,
    tag: 'buckets',
    summary: "The project's buckets (with their grants), then those granted to it",
    params: ProjectParamsSchema,
    response: ListBucketsResponseSchema,
    handler: async (request) => ({ buckets: await store.buckets.list(request.params.project) }),
  });

  writeRoute<BucketParams, unknown, { reassignTo?: string }>(app, deps, {
    method: 'DELETE',
    url: `${BUCKETS}/${BUCKET}`,
    tag: 'buckets',
    summary:
      'Release a bucket the project owns (its grants go too); an admin may pass reassignTo=<project> to hand it over',
    params: BucketParamsSchema,
    querystring: ReleaseQuerySchema,
    response: EmptySchema,
    handler: async (request) => {
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
  });

  /** `:grant` or `:revoke` on a bucket the project owns; both answer with the bucket after the change. */
  const grantChangeRoute = <Body extends GrantChange>(route: {
    readonly verb: 'grant' | 'revoke';
    readonly summary: string;
    readonly body: TSchema;
    readonly assertBody: (body: unknown) => Body;
    readonly change: (project: string, bucket: string, body: Body) => Promise<Bucket>;
    /** The log message once it is done. */
    readonly done: string;
  }): void =>
    writeRoute<BucketParams, Body>(app, deps, {
      method: 'POST',
      url: `${BUCKETS}/${BUCKET}::${route.verb}`,
      tag: 'buckets',
      summary: route.summary,
      params: BucketParamsSchema,
      body: ref(route.body),
      assertBody: route.assertBody,
      response: ref(BucketSchema),
      handler: async (request): Promise<Bucket> => {
        const { project } = request.params;
        const bucket = bucketParam(request.params.bucket);
        const result = await route.change(project, bucket, request.body);
        const { project: grantee, role } = request.body;
        request.log.info({ project, bucket, grantee, role }, route.done);
        return result;
      },
    });

  grantChangeRoute({
    verb: 'grant',
    summary: 'Grant another project READER or WRITER on a bucket the project owns',
    body: GrantBucketRequestSchema,
    assertBody: assertValidGrantBucketRequest,
    change: (project, bucket, { project: grantee, role }) =>
      store.buckets.grant(project, bucket, grantee, role),
    done: 'bucket granted',
  });

  grantChangeRoute({
    verb: 'revoke',
    summary: "Remove a project's grant on a bucket the project owns",
    body: RevokeBucketRequestSchema,
    assertBody: assertValidRevokeBucketRequest,
    change: (project, bucket, { project: grantee }) =>
      store.buckets.revoke(project, bucket, grantee),
    done: 'bucket grant revoked',
  });
};
