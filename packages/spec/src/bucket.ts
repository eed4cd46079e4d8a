import { Type, type Static } from '@sinclair/typebox';
import { ProjectIdSchema } from './project-id-schema.js';
import { StringEnum } from './string-enum.js';

/** What a grant lets another project do with a bucket; WRITER implies READER. */
export const BUCKET_GRANT_ROLES = ['READER', 'WRITER'] as const;
export const BucketGrantRoleSchema = StringEnum(BUCKET_GRANT_ROLES);
export type BucketGrantRole = Static<typeof BucketGrantRoleSchema>;

/** A project's access to a bucket: it owns it, or holds a grant. */
export const BucketAccessRoleSchema = StringEnum(['OWNER', ...BUCKET_GRANT_ROLES]);
export type BucketAccessRole = Static<typeof BucketAccessRoleSchema>;

/** What a URI use needs: `read` passes with a READER or WRITER grant, `write` only with WRITER. */
export type UriAccess = 'read' | 'write';

/** One `gs://` URI a request or a job names, with the JSON field it came from. */
export interface UriUse {
  /** The JSON field path, e.g. `trainingInput.jobDir` or `trainingInput.args[2]`. */
  readonly field: string;
  readonly uri: string;
  readonly access: UriAccess;
}

export const BucketGrantSchema = Type.Object(
  {
    project: ProjectIdSchema(),
    role: BucketGrantRoleSchema,
  },
  { additionalProperties: false },
);
export type BucketGrant = Static<typeof BucketGrantSchema>;

/** A bucket as the project that lists it sees it. */
export const BucketSchema = Type.Object(
  {
    name: Type.String(),
    /** The owning project. */
    owner: Type.String(),
    /** The listing project's access. */
    role: BucketAccessRoleSchema,
    /** The grants the owner gave (listed only for the owner). */
    grants: Type.Optional(Type.Array(BucketGrantSchema)),
  },
  { $id: 'Bucket' },
);
export type Bucket = Static<typeof BucketSchema>;

export const ListBucketsResponseSchema = Type.Object(
  { buckets: Type.Array(BucketSchema) },
  { $id: 'ListBucketsResponse' },
);
export type ListBucketsResponse = Static<typeof ListBucketsResponseSchema>;

/** `POST /v1/projects/{p}/buckets`: claim a bucket for the project. */
export const ClaimBucketRequestSchema = Type.Object(
  { name: Type.String({ description: 'A bucket name (GCS naming rules)' }) },
  { $id: 'ClaimBucketRequest', additionalProperties: false },
);
export type ClaimBucketRequest = Static<typeof ClaimBucketRequestSchema>;

/** `POST …/buckets/{b}:grant`. */
export const GrantBucketRequestSchema = Type.Object(
  {
    project: ProjectIdSchema({ description: 'The project the grant is for' }),
    role: BucketGrantRoleSchema,
  },
  { $id: 'GrantBucketRequest', additionalProperties: false },
);
export type GrantBucketRequest = Static<typeof GrantBucketRequestSchema>;

/** `POST …/buckets/{b}:revoke`: remove the project's grant, whatever its role. */
export const RevokeBucketRequestSchema = Type.Object(
  {
    project: ProjectIdSchema({ description: 'The project whose grant is removed' }),
  },
  { $id: 'RevokeBucketRequest', additionalProperties: false },
);
export type RevokeBucketRequest = Static<typeof RevokeBucketRequestSchema>;
